import { FatalError } from '../errors.js';
import { Git, History, type Lineage, repositoryId } from '../git/index.js';
import type { PortApi, PortConnector } from '../port.js';
import type { WatermarkReport } from '../report/index.js';
import {
  type TrackedBranch,
  type Watermark,
  ciBranch,
  readWatermark,
  watermarkIdentifier,
  writeWatermark,
} from '../watermark/index.js';
import type { SelectionRequest } from './options.js';
import type { OpenedRun } from './prepare.js';

/** A CI sync of a branch, kept in order by the watermark Port holds for it (docs/ci.md). */
export interface Tracking {
  port: PortApi;
  history: History;
  head: string;
  branch: TrackedBranch;
  repository: string;
  blueprint: string;
  identifier: string;
  /** The watermark when the run started, and how this run's head stands to it. */
  start: Watermark | undefined;
  lineage: Lineage | undefined;
  force: boolean;
}

export interface TrackingRequest {
  select: SelectionRequest;
  dryRun?: boolean;
  force?: boolean;
}

/**
 * Before anything is selected: reads the branch's watermark and chooses what to compare with. A
 * push-triggered sync compares with the last commit synced (so a failed run's changes are not lost);
 * with none yet, with what the CI says. A run whose head is older than the watermark writes nothing (a
 * `stale` error, exit 4) unless `force`. Applies to CI runs of a branch that compare as the CI says or
 * select everything, that are not dry runs, and whose config does not turn the watermark off. The
 * notes it returns say what it chose.
 */
export async function startTracking(
  opened: OpenedRun,
  request: TrackingRequest,
  connector: PortConnector,
): Promise<{ tracking: Tracking; select: SelectionRequest; notes: string[] } | undefined> {
  const { select } = request;
  const branch = ciBranch(opened.env);
  const { repository, config } = opened;
  if (!branch || request.dryRun || config.watermark === false) return undefined;
  if (select.kind === 'files' || (select.kind === 'changed' && select.base !== undefined)) return undefined;
  if (!repository.gitRoot || !repository.head) return undefined;

  const name = await repositoryId(repository, opened.env);
  const port = await connector({ settings: config.port, repositoryId: name });
  await port.authenticate();
  const identifier = watermarkIdentifier(name, branch.name);
  const start = await readWatermark(port, config.watermark.blueprint, identifier);
  const head = repository.head;
  const history = new History(new Git(repository.root));
  const lineage = start ? await history.lineage(start.commit, head) : undefined;
  const tracking: Tracking = {
    port,
    history,
    head,
    branch,
    repository: name,
    blueprint: config.watermark.blueprint,
    identifier,
    start,
    lineage,
    force: Boolean(request.force),
  };
  const chosen = (notes: string[], changed?: { base: string }) => ({
    tracking,
    select: changed && select.kind === 'changed' ? { ...select, base: changed.base, exact: true } : select,
    notes,
  });
  if (!start) {
    return chosen([
      `no watermark for ${branch.name} in Port yet: compared as the CI says; it is recorded once this sync succeeds`,
    ]);
  }
  const synced = describeMark(start);
  switch (lineage) {
    case 'same':
      return chosen(
        [`${short(head)} is the last commit synced for ${branch.name} (${synced}): nothing changed since`],
        {
          base: head,
        },
      );
    case 'ahead':
      return chosen([`compared with the last commit synced for ${branch.name}, ${synced}`], { base: start.commit });
    case 'behind':
      if (!request.force) throw staleRun(head, start, branch.name);
      return chosen([`--force: this run writes ${short(head)}, older than ${synced}; the watermark stays`]);
    case 'diverged':
      return chosen(
        [
          `the history of ${branch.name} was rewritten since ${synced}: compared with that commit itself, whose files Port holds; the watermark moves to a commit that does not descend from it only with --force`,
        ],
        { base: start.commit },
      );
    default:
      return chosen([
        `the last commit synced for ${branch.name}, ${synced}, is neither in this clone nor on its remote (a rewritten history?): compared as the CI says; the watermark moves only with --force`,
      ]);
  }
}

/**
 * Right before the first write: a run that finished meanwhile may have synced a newer commit. Then this
 * one writes nothing (a `stale` error), unless `force`.
 */
export async function checkStillCurrent(tracking: Tracking): Promise<void> {
  if (tracking.force) return;
  const now = await readWatermark(tracking.port, tracking.blueprint, tracking.identifier);
  if (!now || now.commit === tracking.start?.commit) return;
  if ((await tracking.history.lineage(now.commit, tracking.head)) === 'behind') {
    throw staleRun(tracking.head, now, tracking.branch.name);
  }
}

/**
 * After the push: the watermark moves to this run's head when the run pushed everything it selected
 * (`incomplete` says why not otherwise), and only forward: never back to an older commit, never back past
 * a newer one another run recorded meanwhile, and to a commit that does not descend from it only with
 * `force`. Port has no compare-and-swap: two runs finishing within the same moment may both write it
 * (docs/ci.md says what that costs).
 */
export async function finishTracking(tracking: Tracking, incomplete: string | undefined): Promise<WatermarkReport> {
  const kept = tracking.start?.commit;
  const report = (moved: boolean, after: string | undefined, reason?: string): WatermarkReport => ({
    branch: tracking.branch.name,
    before: kept ?? null,
    after: after ?? null,
    moved,
    ...(reason ? { reason } : {}),
  });
  if (incomplete) return report(false, kept, incomplete);
  if (tracking.lineage === 'same') return report(false, kept);
  if (tracking.lineage === 'behind') return report(false, kept, `${short(tracking.head)} is older than the watermark`);
  if ((tracking.lineage === 'diverged' || tracking.lineage === 'unknown') && !tracking.force) {
    return report(false, kept, `${short(tracking.head)} does not descend from the watermark (--force moves it)`);
  }
  const now = await readWatermark(tracking.port, tracking.blueprint, tracking.identifier);
  if (now && now.commit !== kept && !tracking.force) {
    const lineage = await tracking.history.lineage(now.commit, tracking.head);
    if (lineage === 'behind' || lineage === 'same') {
      return report(false, now.commit, `a newer run recorded ${short(now.commit)} meanwhile`);
    }
  }
  try {
    await writeWatermark(tracking.port, tracking.blueprint, tracking.identifier, {
      repository: tracking.repository,
      branch: tracking.branch.name,
      commit: tracking.head,
      run: tracking.branch.runUrl,
    });
  } catch (error) {
    return report(false, now?.commit ?? kept, `it could not be written: ${(error as Error).message}`);
  }
  return report(true, tracking.head);
}

function staleRun(head: string, mark: Watermark, branch: string): FatalError {
  return new FatalError(
    'stale',
    `this run's commit ${short(head)} is older than ${describeMark(mark)}, the last commit synced for ${branch}: nothing was written`,
    'a newer run has synced this branch already, and this one would put older values back; --force writes them anyway',
  );
}

function describeMark(mark: Watermark): string {
  const when = mark.syncedAt ? ` at ${mark.syncedAt}` : '';
  const by = mark.run ? ` by ${mark.run}` : '';
  return `${short(mark.commit)} (synced${when}${by})`;
}

function short(commit: string): string {
  return commit.slice(0, 8);
}
