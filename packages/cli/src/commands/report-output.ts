import { appendFileSync, writeFileSync } from 'node:fs';
import type { Report, Selection } from '@port-gitops/core';
import { githubAnnotations, githubStepSummary } from '../github.js';
import { junitReport } from '../junit.js';
import type { Output } from '../output.js';
import { renderReport } from '../render.js';

export interface ReportFlags {
  format: 'text' | 'json';
  report?: string;
  junit?: string;
  quiet: boolean;
  verbose: boolean;
}

/**
 * Prints the report in the chosen format, writes `--report` and `--junit` files, and under GitHub
 * Actions adds annotations and a step summary. Secrets are redacted everywhere.
 */
export function emitReport(
  report: Report,
  output: Output,
  flags: ReportFlags,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const json = JSON.stringify(report, null, 2);
  if (flags.report) writeFileSync(flags.report, output.redact(json) + '\n');
  if (flags.junit) writeFileSync(flags.junit, output.redact(junitReport(report)));
  if (flags.format === 'json') output.out(json);
  else output.out(renderReport(report, output, { verbose: flags.verbose, quiet: flags.quiet }));

  if (env.GITHUB_ACTIONS === 'true') {
    // The runner reads workflow commands from both streams; stdout stays the report's in json mode.
    const annotations = githubAnnotations(report);
    if (annotations.length > 0)
      (flags.format === 'json' ? output.err.bind(output) : output.out.bind(output))(annotations.join('\n'));
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, output.redact(githubStepSummary(report)));
  }
}

/** Why the selection is what it is (a fallback, a config change, the CI's base), on stderr. */
export function emitNotes(selection: Selection, output: Output): void {
  for (const note of selection.notes) output.err(`note: ${note}`);
}
