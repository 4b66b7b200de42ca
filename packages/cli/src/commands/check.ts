import { buildReport, exitCodeOf } from '@port-gitops/core';
import type { Output } from '../output.js';
import { discoverAndValidate, type SelectionArgs } from '../pipeline.js';
import { emitNotes, emitReport, type ReportFlags } from './report-output.js';

export type CheckArgs = SelectionArgs & ReportFlags;

/** select → load → validate; needs no credentials. */
export async function runCheck(args: CheckArgs, output: Output): Promise<number> {
  const startedAtMs = performance.now();
  const loaded = await discoverAndValidate(args);
  emitNotes(loaded.selection, output);
  const report = buildReport({ command: 'check', selection: loaded.selection, dryRun: false, files: loaded.files, validation: loaded.validation, changes: loaded.changes, startedAtMs });
  emitReport(report, output, args);
  return exitCodeOf(report);
}
