import { FatalError } from '../errors.js';
import { Git, History, repositoryId } from '../git/index.js';
import {
  type BlueprintChange,
  type DeleteOperation,
  type ManagedBlueprint,
  type PushResult,
  type UpsertOperation,
  compareOperations,
  planDeletes,
  planPrune,
  readLive,
  withoutPushing,
  writtenByNewer,
} from '../plan/index.js';
import type { PortApi, PortConnector } from '../port.js';
import {
  type BlueprintPolicy,
  applyBlueprints,
  contractBlueprints,
  deleteBlueprints,
  push,
  refusedBlueprintChanges,
} from '../push/index.js';
import { type Report, buildReport } from '../report/index.js';
import { connect, connectAhead } from './connect.js';
import type { RunOptions } from './options.js';
import { readManagedBlueprints } from './managed-blueprints.js';
import { type PreparedRun, openRun, prepare } from './prepare.js';
import { type Tracking, checkStillCurrent, finishTracking, startTracking } from './tracking.js';
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
  /**
   * Write even what is older than what Port holds: a commit older than the branch's watermark, an entity
   * whose provenance names a newer commit (docs/ci.md).
   */
  force?: boolean;
  /** Aborting stops the push: nothing new is sent, requests in flight finish, the rest is reported. */
  signal?: AbortSignal;
  /** With config `manageBlueprints`: the classes of blueprint change this sync may write. */
  blueprints?: BlueprintPolicy;
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
  const opened = await openRun(options);
  // In CI, the branch's watermark in Port decides what to compare with, before anything is selected.
  const tracked = await startTracking(opened, options, connector);
  for (const message of tracked?.notes ?? []) opened.events.emit({ type: 'note', message });
  const connection = tracked
    ? () => Promise.resolve(tracked.tracking.port)
    : options.dryRun
      ? () => connect(run, connector)
      : connectAhead(opened, connector);
  const run = await prepare(tracked ? { ...options, select: tracked.select } : options, opened);
  if (tracked) run.selection.notes.unshift(...tracked.notes);
  const tracking = tracked?.tracking;
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
  let blueprints: BlueprintChange[] | undefined;
  if (options.dryRun) {
    if (run.config.manageBlueprints) {
      run.events.emit({
        type: 'note',
        message:
          '--dry-run reads nothing from Port, so it does not show the changes to the managed blueprints: `plan` reads them',
      });
    }
    const pruned = options.prune ? await prune(run, await connection(), options.prune) : [];
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
    const port = await connection();
    const { managed, contracting } = await syncBlueprints(run, port, options.blueprints, plan.deleteRemoved, tracking);
    blueprints = managed?.flatMap((b) => b.changes);
    pushed = await pushToPort(run, plan, port, options, tracking);
    if (managed && contracting.length > 0) {
      await contractBlueprints(port, managed, contracting);
      for (const identifier of contracting)
        run.events.emit({ type: 'note', message: `blueprint ${identifier} written with its new requirements` });
    }
    if (managed?.some((b) => !b.definition && b.live)) {
      if (pushed.some((r) => r.result === 'failed')) {
        run.events.emit({ type: 'warning', message: 'some entities failed to push, so no blueprint was deleted' });
      } else {
        for (const identifier of await deleteBlueprints(port, managed, options.blueprints))
          run.events.emit({ type: 'note', message: `blueprint ${identifier} deleted` });
      }
    }
  }

  const report = buildReport({
    command: 'sync',
    selection: run.selection,
    dryRun: Boolean(options.dryRun),
    files: run.files,
    validation: run.validation,
    changes: run.changes,
    pushed,
    ...(blueprints ? { blueprints } : {}),
    startedAtMs: run.startedAtMs,
  });
  if (tracking) {
    report.watermark = await finishTracking(tracking, incomplete(report));
    const { watermark } = report;
    run.events.emit({
      type: 'note',
      message: watermark.moved
        ? `watermark of ${watermark.branch}: ${watermark.after?.slice(0, 8)}`
        : `watermark of ${watermark.branch} not moved${watermark.reason ? `: ${watermark.reason}` : ''}`,
    });
  }
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

/** Why the run did not push everything it selected, or undefined when it did: then the watermark may move. */
function incomplete(report: Report): string | undefined {
  const { failed, invalid } = report.summary;
  if (failed > 0) return `${failed} ${failed === 1 ? 'entity' : 'entities'} failed to push (the next run retries them)`;
  if (invalid > 0) return `${invalid} invalid ${invalid === 1 ? 'file was' : 'files were'} not pushed`;
  // Left out without a reason (--no-partial); one a newer commit wrote has its reason, and is done.
  const unsent = report.entities.filter((e) => e.action === 'upsert' && e.result === 'skipped' && !e.reason).length;
  if (unsent > 0) return `${unsent} ${unsent === 1 ? 'entity was' : 'entities were'} not pushed`;
  return undefined;
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
  tracking: Tracking | undefined,
): Promise<PushResult[]> {
  const deletes = plan.deleteRemoved ? plan.deletes : [];
  if (plan.upserts.length > 0 || deletes.length > 0 || options.prune) await port.authenticate();
  const pruned = options.prune ? await prune(run, port, options.prune) : [];
  const provenance = run.config.provenance?.property;
  const planned = [...plan.upserts, ...deletes, ...pruned];
  // A run of a newer commit may have finished since this one started: then this one is stale as a whole.
  if (tracking && planned.length > 0) await checkStillCurrent(tracking);
  // --skip-unchanged compares whole entities; the guard below needs only who wrote each one.
  const live = options.skipUnchanged
    ? await readLive(port, planned)
    : provenance && !options.force
      ? await readLive(port, planned, ['identifier', `properties.${provenance}`])
      : undefined;
  const unchanged =
    options.skipUnchanged && live
      ? compareOperations(plan.upserts, live, provenance).filter((r) => r.change === 'unchanged')
      : [];
  // Runs that overlap: an entity a newer commit wrote (its provenance says so) is left as it is.
  const head = run.repository.head;
  const skipped = new Set(unchanged.map((r) => r.operation));
  const newer =
    provenance && live && !options.force && head && run.repository.gitRoot
      ? await writtenByNewer(
          planned.filter((o) => !skipped.has(o)),
          live,
          { property: provenance, head, history: tracking?.history ?? new History(new Git(run.repository.root)) },
        )
      : [];
  for (const { operation } of newer) skipped.add(operation);
  const writes = planned.filter((o) => !skipped.has(o));
  const { events } = run;
  events.stage('plan');
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
    events.stage('push');
  }
  const notSent = pushed.filter((r) => r.error?.code === 'interrupted').length;
  if (notSent > 0) {
    events.emit({
      type: 'warning',
      message: `interrupted: ${notSent} ${notSent === 1 ? 'entity was' : 'entities were'} not pushed (listed as failed; run again to converge)`,
    });
  }
  if (newer.length > 0) {
    events.emit({
      type: 'warning',
      message:
        newer.length === 1
          ? '1 entity was left as it is: Port holds it as written by a newer commit (--force writes it anyway)'
          : `${newer.length} entities were left as they are: Port holds them as written by a newer commit (--force writes them anyway)`,
    });
  }
  return [...pushed, ...unchanged, ...newer, ...(plan.deleteRemoved ? [] : withoutPushing(plan.deletes, 'skipped'))];
}

/**
 * With config `manageBlueprints`: Port's blueprints brought to their definitions before any entity is
 * pushed, so that entities written by the same change validate against the new model (deletions wait
 * for the entities: the caller makes them). Every change
 * the policy does not allow (and every blocked one) is refused first, with nothing written.
 */
async function syncBlueprints(
  run: PreparedRun,
  port: PortApi,
  policy: BlueprintPolicy = { allowBreaking: false, allowDestructive: false },
  /** Whether this sync deletes the entities the change removed (before it deletes blueprints). */
  deleteRemoved = false,
  tracking?: Tracking,
): Promise<{ managed: ManagedBlueprint[] | undefined; contracting: string[] }> {
  const managed = await readManagedBlueprints(run, port, deleteRemoved);
  if (!managed) return { managed: undefined, contracting: [] };
  const refused = refusedBlueprintChanges(managed, policy);
  if (refused.length > 0) {
    const lines = refused.map((c) => `blueprint ${c.blueprint}: ${c.class}: ${c.path || 'the blueprint'}: ${c.reason}`);
    const classes = new Set(refused.map((c) => c.class));
    throw new FatalError(
      'usage',
      `${refused.length} blueprint change(s) not allowed, so nothing was written:\n  ${lines.join('\n  ')}`,
      classes.has('blocked')
        ? blockedHint(refused)
        : `allow them with ${[...classes].map((c) => `--allow-${c}`).join(' and ')} once a reviewer has seen the plan`,
    );
  }
  // Blueprint writes come first: the check that no newer run has synced meanwhile comes before them.
  if (tracking && managed.some((b) => b.changes.length > 0)) await checkStillCurrent(tracking);
  const { written, contracting, warnings } = await applyBlueprints(port, managed, policy);
  for (const identifier of written) run.events.emit({ type: 'note', message: `blueprint ${identifier} written` });
  for (const identifier of contracting)
    run.events.emit({
      type: 'note',
      message: `blueprint ${identifier} written without its new requirements, which follow the entities`,
    });
  for (const message of warnings) run.events.emit({ type: 'warning', message });
  return { managed, contracting };
}

/** What a blocked change needs: per property, the opt-in that recreates it; for a deletion, no entities. */
function blockedHint(refused: BlueprintChange[]): string {
  const properties = [
    ...new Set(
      refused.flatMap((c) => {
        if (c.blueprint.startsWith('_')) return [];
        const property = c.class === 'blocked' ? /^schema\.properties\.([^.]+)\./.exec(c.path)?.[1] : undefined;
        return property ? [`--recreate-property ${c.blueprint}.${property}`] : [];
      }),
    ),
  ];
  const deletion = refused.some((c) => c.class === 'blocked' && c.path === '' && !c.blueprint.startsWith('_'));
  const system = refused.some((c) => c.blueprint.startsWith('_'));
  return [
    'Port refuses a blocked change in place',
    ...(properties.length > 0
      ? [`recreate the property with ${properties.join(' ')} (values that fit the new type are copied back)`]
      : []),
    ...(system ? ['change what Port owns of a system blueprint in Port, then run blueprints pull'] : []),
    ...(deletion
      ? [
          `remove its entities' files and sync with --delete-removed, or delete every entity Port holds of it with ${[
            ...new Set(
              refused
                .filter((c) => c.class === 'blocked' && c.path === '' && !c.blueprint.startsWith('_'))
                .map((c) => `--delete-entities ${c.blueprint}`),
            ),
          ].join(' ')}`,
        ]
      : []),
  ].join('; ');
}
