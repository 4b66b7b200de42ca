import { sync } from '@port-gitops/core';
import type { Output } from '../output.js';
import { portConnector } from '../port.js';
import { type ReportFlags, checkOutputPaths, emitReport, printEvents } from '../report-output.js';
import { type SelectionFlags, type TargetFlags, runOptions } from './options.js';

export type SyncArgs = SelectionFlags &
  ReportFlags &
  TargetFlags & {
    dryRun: boolean;
    partial: boolean;
    skipUnchanged: boolean;
    progress: boolean;
    prune: boolean;
    maxDeletes?: number;
    force: boolean;
    deleteRemoved: boolean;
    allowBreaking: boolean;
    allowDestructive: boolean;
    recreateProperty?: string[];
    deleteEntities?: string[];
  };

/** `sync`: flags → options → core's sync → report → exit code; SIGINT/SIGTERM stop the push cleanly. */
export async function runSync(args: SyncArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  checkOutputPaths(args);
  const stopping = new AbortController();
  const stopListening = stopOnSignal(stopping, output);
  try {
    const report = await sync(
      {
        ...runOptions(args, env, printEvents(output, args, env)),
        dryRun: args.dryRun,
        partial: args.partial,
        skipUnchanged: args.skipUnchanged,
        deleteRemoved: args.deleteRemoved,
        ...(args.prune
          ? { prune: { ...(args.maxDeletes !== undefined ? { maxDeletes: args.maxDeletes } : {}), force: args.force } }
          : {}),
        force: args.force,
        blueprints: {
          allowBreaking: args.allowBreaking,
          allowDestructive: args.allowDestructive,
          recreateProperties: args.recreateProperty ?? [],
          deleteEntitiesOf: args.deleteEntities ?? [],
        },
        signal: stopping.signal,
      },
      portConnector(args.dryRun && args.prune ? 'sync --prune' : 'sync', args, output, env),
    );
    return emitReport(report, output, args, env, { afterWrites: !args.dryRun });
  } finally {
    stopListening();
  }
}

/**
 * SIGINT or SIGTERM during a run: stop sending, let the requests in flight finish, so that the
 * report can say what was and was not pushed (exit 2). A second signal quits at once.
 */
function stopOnSignal(stopping: AbortController, output: Output): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    output.err(`${signal}: no new requests; finishing those in flight (${signal} again quits at once)`);
    stopping.abort();
    process.once(signal, () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
