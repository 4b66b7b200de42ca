import { appendFileSync, writeFileSync } from 'node:fs';
import type { Report, RunEvent } from '@port-gitops/core';
import { githubAnnotations, githubStepSummary } from './github.js';
import { junitReport } from './junit.js';
import { type Output, printable } from './output.js';
import { type Progress, createProgress } from './progress.js';
import { renderReport } from './render.js';

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
export function emitReport(report: Report, output: Output, flags: ReportFlags, env: NodeJS.ProcessEnv): void {
  const json = JSON.stringify(report, null, 2);
  if (flags.report) writeFileSync(flags.report, `${output.redact(json)}\n`);
  if (flags.junit) writeFileSync(flags.junit, output.redact(junitReport(report)));
  if (flags.format === 'json') output.out(json);
  else output.out(renderReport(report, output, { verbose: flags.verbose, quiet: flags.quiet }));

  if (env.GITHUB_ACTIONS === 'true') {
    // The runner reads workflow commands from both streams; stdout stays the report's in json mode.
    const annotations = githubAnnotations(report);
    if (annotations.length > 0) output.command(annotations, flags.format === 'json' ? 'stderr' : 'stdout');
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, output.redact(githubStepSummary(report)));
  }
}

/**
 * What a run says as it goes, on stderr: notes, warnings, hints (text output only), stage timings
 * (`PORT_GITOPS_TIMINGS=1`), and progress on long pushes.
 */
export function printEvents(
  output: Output,
  flags: Pick<ReportFlags, 'format' | 'quiet'> & { progress?: boolean },
  env: NodeJS.ProcessEnv,
): (event: RunEvent) => void {
  const timings = env.PORT_GITOPS_TIMINGS === '1';
  if (timings) process.stderr.write(`timing: pipeline starts ${Math.round(performance.now())} ms after start\n`);
  let progress: Progress | undefined;
  return (event) => {
    switch (event.type) {
      case 'note':
        return output.err(`note: ${printable(event.message)}`);
      case 'warning':
        return output.err(printable(event.message));
      case 'hint':
        if (flags.format === 'text') output.err(printable(event.message));
        return;
      case 'timing':
        if (timings) process.stderr.write(`timing: ${event.stage} ${Math.round(event.ms)} ms\n`);
        return;
      case 'push-start': {
        const enabled = (flags.progress ?? false) && !flags.quiet && flags.format === 'text';
        progress = createProgress(event.total, output, { enabled, env });
        return;
      }
      case 'push-progress':
        return progress?.advance(event);
      case 'push-end':
        return progress?.finish();
    }
  };
}
