import { buildReport, compareOperations, exitCodeOf, planDeletes } from '@port-gitops/core';
import { readLive } from '../live.js';
import type { Output } from '../output.js';
import { discoverAndValidate, plannedUpserts, type SelectionArgs } from '../pipeline.js';
import { connectToPort, type TargetFlags } from '../port.js';
import { renderPlan } from '../render.js';
import { emitNotes, emitReport, type ReportFlags } from './report-output.js';

export type PlanArgs = SelectionArgs & ReportFlags & TargetFlags;

/**
 * What sync would do, read against the live entities: create, update (with the fields that change),
 * unchanged, delete. Writes nothing; needs credentials to read.
 */
export async function runPlan(args: PlanArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const startedAtMs = performance.now();
  const loaded = await discoverAndValidate(args, env);
  emitNotes(loaded.selection, output);
  const { changes, validation } = loaded;
  const operations = [...(await plannedUpserts(loaded, env)), ...planDeletes(changes?.removed ?? [])];
  const client = await connectToPort('plan', args, loaded, output, env);
  const planned = compareOperations(
    operations,
    operations.length > 0 ? await readLive(client, operations) : new Map(),
    loaded.config.provenance?.property,
  );
  const report = buildReport({
    command: 'plan',
    selection: loaded.selection,
    dryRun: true,
    files: loaded.files,
    validation,
    changes,
    pushed: planned,
    startedAtMs,
  });
  if (args.format === 'text') output.out(renderPlan(report, output, { verbose: args.verbose }));
  emitReport(report, output, args, env);
  return exitCodeOf(report);
}
