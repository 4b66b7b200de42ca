import { FatalError } from '../errors.js';
import { repositoryId } from '../git/index.js';
import {
  type DeleteOperation,
  type PushResult,
  type UpsertOperation,
  compareOperations,
  planDeletes,
  planPrune,
  readLive,
  withoutPushing,
} from '../plan/index.js';
import type { PortApi, PortConnector } from '../port.js';
import { push } from '../push/index.js';
import { type Report, buildReport } from '../report/index.js';
import { connect } from './connect.js';
import type { RunOptions } from './options.js';
import { type PreparedRun, prepare } from './prepare.js';
import { plannedUpserts } from './upserts.js';

export interface SyncOptions extends RunOptions {
  /** Show what would be written; send nothing (no credentials needed, unless `prune` must read Port). */
  dryRun?: boolean;
  /** Push the valid files when others are invalid. Default true; false pushes nothing then. */
  partial?: boolean;
  /** Read the live entities first and write only those that differ. */
  skipUnchanged?: boolean;
  /** Delete the entities the selected change removed (also config `deleteRemoved`). */
  deleteRemoved?: boolean;
  /** With `select: { kind: 'all' }`: delete what this repository wrote that no file defines any more. */
  prune?: { maxDeletes?: number; force?: boolean };
  /** Aborting stops the push: nothing new is sent, requests in flight finish, the rest is reported. */
  signal?: AbortSignal;
}

interface SyncPlan {
  upserts: UpsertOperation[];
  /** Entities the selected change removed. */
  deletes: DeleteOperation[];
  deleteRemoved: boolean;
}

/**
 * select → load → validate → plan → push → report. Only what changed is pushed (everything with
 * `kind: 'all'`); invalid files are never pushed, and with `partial: false` nothing is while any file
 * is invalid. Entities removed by the change are deleted only with `deleteRemoved` (or config
 * `deleteRemoved`); otherwise the report lists them as not deleted.
 */
export async function sync(options: SyncOptions, connector: PortConnector): Promise<Report> {
  const run = await prepare(options);
  const plan: SyncPlan = {
    upserts: await plannedUpserts(run),
    deletes: planDeletes(run.changes?.removed ?? []),
    deleteRemoved: Boolean(options.deleteRemoved) || run.config.deleteRemoved,
  };
  if (options.prune && run.selection.mode !== 'all') {
    throw new FatalError(
      'usage',
      '--prune needs --all: only the whole set of files can tell which entities no file defines any more',
    );
  }

  let pushed: PushResult[];
  if (options.dryRun) {
    const pruned = options.prune ? await prune(run, await connect(run, connector), options.prune) : [];
    const deletes = plan.deleteRemoved ? plan.deletes : [];
    pushed = withoutPushing([...plan.upserts, ...deletes, ...pruned], 'planned');
    if (!plan.deleteRemoved) pushed.push(...withoutPushing(plan.deletes, 'skipped'));
  } else if (options.partial === false && run.validation.invalidFiles.size > 0) {
    pushed = withoutPushing([...plan.upserts, ...plan.deletes], 'skipped');
    run.events.emit({
      type: 'warning',
      message: `--no-partial: ${run.validation.invalidFiles.size} invalid file(s), so nothing was pushed`,
    });
  } else {
    pushed = await pushToPort(run, plan, await connect(run, connector), options);
  }

  const report = buildReport({
    command: 'sync',
    selection: run.selection,
    dryRun: Boolean(options.dryRun),
    files: run.files,
    validation: run.validation,
    changes: run.changes,
    pushed,
    startedAtMs: run.startedAtMs,
  });
  if (!plan.deleteRemoved && plan.deletes.length > 0) {
    const count = plan.deletes.length;
    run.events.emit({
      type: 'hint',
      message: `${count} ${count === 1 ? 'entity was' : 'entities were'} removed from the files but not deleted from Port: pass --delete-removed (or set "deleteRemoved": true) to delete them`,
    });
  }
  const authFailure = pushed.find((r) => r.error?.status === 401)?.error?.message;
  if (authFailure) {
    run.events.emit({
      type: 'warning',
      message: `error: Port refused the credentials during the push: ${authFailure}`,
    });
  }
  return report;
}

async function prune(run: PreparedRun, port: PortApi, options: NonNullable<SyncOptions['prune']>) {
  return planPrune(run.files, run.validation.problems, port, {
    repositoryId: await repositoryId(run.repository, run.env),
    provenanceProperty: run.config.provenance?.property,
    ...(options.maxDeletes !== undefined ? { maxDeletes: options.maxDeletes } : {}),
    force: Boolean(options.force),
  });
}

/**
 * The writes: authenticate (refused credentials end the run before anything is written), decide what
 * prune deletes (a refusal too comes before any write), leave out what `skipUnchanged` finds
 * unchanged, then push, with progress, and stoppable through `signal`.
 */
async function pushToPort(
  run: PreparedRun,
  plan: SyncPlan,
  port: PortApi,
  options: SyncOptions,
): Promise<PushResult[]> {
  const deletes = plan.deleteRemoved ? plan.deletes : [];
  if (plan.upserts.length > 0 || deletes.length > 0 || options.prune) await port.authenticate();
  const pruned = options.prune ? await prune(run, port, options.prune) : [];
  const provenance = run.config.provenance?.property;
  const unchanged = options.skipUnchanged
    ? compareOperations(plan.upserts, await readLive(port, plan.upserts), provenance).filter(
        (r) => r.change === 'unchanged',
      )
    : [];
  const skipped = new Set(unchanged.map((r) => r.operation));
  const writes = [...plan.upserts.filter((o) => !skipped.has(o)), ...deletes, ...pruned];

  const { events } = run;
  events.emit({ type: 'push-start', total: writes.length });
  port.onProgress = (done) => events.emit({ type: 'push-progress', ...done });
  const stop = () => port.stop?.();
  options.signal?.addEventListener('abort', stop, { once: true });
  let pushed: PushResult[];
  try {
    pushed = await push(writes, port);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    events.emit({ type: 'push-end' });
  }
  const notSent = pushed.filter((r) => r.error?.code === 'interrupted').length;
  if (notSent > 0) {
    events.emit({
      type: 'warning',
      message: `interrupted: ${notSent} ${notSent === 1 ? 'entity was' : 'entities were'} not pushed (listed as failed; run again to converge)`,
    });
  }
  return [...pushed, ...unchanged, ...(plan.deleteRemoved ? [] : withoutPushing(plan.deletes, 'skipped'))];
}
