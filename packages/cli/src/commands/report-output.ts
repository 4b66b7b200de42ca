import { writeFileSync } from 'node:fs';
import type { Report, Selection } from '@port-gitops/core';
import type { Output } from '../output.js';
import { renderReport } from '../render.js';

export interface ReportFlags {
  format: 'text' | 'json';
  report?: string;
  quiet: boolean;
  verbose: boolean;
}

/** Prints the report in the chosen format and writes `--report FILE`; secrets are redacted either way. */
export function emitReport(report: Report, output: Output, flags: ReportFlags): void {
  const json = JSON.stringify(report, null, 2);
  if (flags.report) writeFileSync(flags.report, output.redact(json) + '\n');
  if (flags.format === 'json') output.out(json);
  else output.out(renderReport(report, output, { verbose: flags.verbose, quiet: flags.quiet }));
}

/** Why the selection is what it is (a fallback, a config change, the CI's base), on stderr. */
export function emitNotes(selection: Selection, output: Output): void {
  for (const note of selection.notes) output.err(`note: ${note}`);
}
