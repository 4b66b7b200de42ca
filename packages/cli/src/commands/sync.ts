import {
  type DeleteOperation,
  FatalError,
  type PushResult,
  type UpsertOperation,
  buildReport,
  compareOperations,
  exitCodeOf,
  planDeletes,
  push,
  repositoryId,
  withoutPushing,
} from '@port-gitops/core';
import type { PortClient } from '@port-gitops/port-client';
import { planPrune } from '../prune.js';
import { createProgress } from '../progress.js';
import { readLive } from '../live.js';
import type { Output } from '../output.js';
import { type Loaded, discoverAndValidate, plannedUpserts, type SelectionArgs } from '../pipeline.js';
import { connectToPort } from '../port.js';
import type { Region } from '../target.js';
import { emitNotes, emitReport, type ReportFlags } from './report-output.js';

export type SyncArgs = SelectionArgs &
  ReportFlags & {
    dryRun: boolean;
    partial: boolean;
    skipUnchanged: boolean;
    progress: boolean;
    prune: boolean;
    maxDeletes?: number;
    force: boolean;
    deleteRemoved: boolean;
    concurrency?: number;
    baseUrl?: string;
    region?: Region;
  };

/**
 * select → load → validate → plan → push → report. Only what changed is pushed (everything with
 * `--all`); invalid files are never pushed, and with `--no-partial` nothing is while any file is
 * invalid. Entities removed by the change are deleted only with `--delete-removed` (or config
 * `deleteRemoved`); otherwise the report lists them as not deleted.
 */
export async function runSync(args: SyncArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const startedAtMs = performance.now();
  const loaded = await discoverAndValidate(args, env);
  emitNotes(loaded.selection, output);
  const { changes, validation } = loaded;
  const plan: SyncPlan = {
    upserts: await plannedUpserts(loaded, env),
    deletes: planDeletes(changes?.removed ?? []),
    deleteRemoved: args.deleteRemoved || loaded.config.deleteRemoved,
  };
  if (args.prune && loaded.selection.mode !== 'all') {
    throw new FatalError(
      'usage',
      '--prune needs --all: only the whole set of files can tell which entities no file defines any more',
    );
  }

  let pushed: PushResult[];
  if (args.dryRun) {
    const pruned = args.prune
      ? await planPrune(
          loaded,
          await connectToPort('sync --prune', args, loaded, output, env),
          await repositoryId(loaded.repository, env),
          args,
        )
      : [];
    pushed = withoutPushing([...plan.upserts, ...(plan.deleteRemoved ? plan.deletes : []), ...pruned], 'planned');
    if (!plan.deleteRemoved) pushed.push(...withoutPushing(plan.deletes, 'skipped'));
  } else if (!args.partial && validation.invalidFiles.size > 0) {
    pushed = withoutPushing([...plan.upserts, ...plan.deletes], 'skipped');
    output.err(`--no-partial: ${validation.invalidFiles.size} invalid file(s), so nothing was pushed`);
  } else {
    pushed = await pushToPort(plan, args, loaded, output, env);
  }

  const report = buildReport({
    command: 'sync',
    selection: loaded.selection,
    dryRun: args.dryRun,
    files: loaded.files,
    validation,
    changes,
    pushed,
    startedAtMs,
  });
  emitReport(report, output, args);
  if (!plan.deleteRemoved && plan.deletes.length > 0 && args.format === 'text') {
    output.err(
      `${plan.deletes.length} ${plan.deletes.length === 1 ? 'entity was' : 'entities were'} removed from the files but not deleted from Port: pass --delete-removed (or set "deleteRemoved": true) to delete them`,
    );
  }
  const authFailure = pushed.find((r) => r.error?.status === 401)?.error?.message;
  if (authFailure) {
    output.err(`error: Port refused the credentials during the push: ${authFailure}`);
    return 3;
  }
  return exitCodeOf(report);
}

interface SyncPlan {
  upserts: UpsertOperation[];
  /** Entities the selected change removed. */
  deletes: DeleteOperation[];
  deleteRemoved: boolean;
}

/**
 * The writes: authenticate (refused credentials end the run before anything is written, exit 3),
 * decide what --prune deletes (a refusal too comes before any write), leave out what
 * --skip-unchanged finds unchanged, then push, with progress and interruptible.
 */
async function pushToPort(
  plan: SyncPlan,
  args: SyncArgs,
  loaded: Loaded,
  output: Output,
  env: NodeJS.ProcessEnv,
): Promise<PushResult[]> {
  const client = await connectToPort('sync', args, loaded, output, env);
  if (plan.upserts.length > 0 || (plan.deleteRemoved && plan.deletes.length > 0) || args.prune)
    await client.authenticate();
  const pruned = args.prune ? await planPrune(loaded, client, await repositoryId(loaded.repository, env), args) : [];
  const unchanged = args.skipUnchanged
    ? compareOperations(plan.upserts, await readLive(client, plan.upserts), loaded.config.provenance?.property).filter(
        (r) => r.change === 'unchanged',
      )
    : [];
  const skipped = new Set(unchanged.map((r) => r.operation));
  const writes = [
    ...plan.upserts.filter((o) => !skipped.has(o)),
    ...(plan.deleteRemoved ? plan.deletes : []),
    ...pruned,
  ];

  const progress = createProgress(writes.length, output, {
    enabled: args.progress && !args.quiet && args.format === 'text',
    env,
  });
  client.onProgress = (done) => progress.advance(done);
  const stopListening = stopOnSignal(client, output);
  let pushed: PushResult[];
  try {
    pushed = await push(writes, {
      upsertEntities: (blueprint, entities) => client.upsertEntities(blueprint, entities),
      deleteEntities: (blueprint, identifiers) => client.deleteEntities(blueprint, identifiers),
    });
  } finally {
    progress.finish();
    stopListening();
  }
  const notSent = pushed.filter((r) => r.error?.code === 'interrupted').length;
  if (notSent > 0)
    output.err(
      `interrupted: ${notSent} ${notSent === 1 ? 'entity was' : 'entities were'} not pushed (listed as failed; run again to converge)`,
    );
  return [...pushed, ...unchanged, ...(plan.deleteRemoved ? [] : withoutPushing(plan.deletes, 'skipped'))];
}

/**
 * SIGINT or SIGTERM during a push: stop sending, let the requests in flight finish, so that the
 * report can say what was and was not pushed (exit 2). A second signal quits at once.
 */
function stopOnSignal(client: PortClient, output: Output): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    output.err(`${signal}: no new requests; finishing those in flight (${signal} again quits at once)`);
    client.stop();
    process.once(signal, () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
