import { accessSync, appendFileSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT, type ExitCode, FatalError, type Report, type RunEvent, exitCodeOf } from '@port-gitops/core';
import { githubAnnotations, githubStepSummary } from './github.js';
import { jsonPieces } from './json-pieces.js';
import { junitReport } from './junit.js';
import { type Output, printable, withNewline } from './output.js';
import { planMarkdown } from './plan-markdown.js';
import { type Progress, createProgress } from './progress.js';
import { renderReport } from './render.js';

export interface ReportFlags {
  format: 'text' | 'json';
  report?: string;
  junit?: string;
  /** plan: the plan as Markdown, for a pull request comment. */
  markdown?: string;
  quiet: boolean;
  verbose: boolean;
  /** `--debug`: the `debug` events too. */
  debug?: boolean;
}

/**
 * `--report` and `--junit` must be writable before anything is read or pushed: a path found wrong only
 * after a push would end a run that did its work in an error. A usage error names the flag.
 */
export function checkOutputPaths(flags: Pick<ReportFlags, 'report' | 'junit' | 'markdown'>): void {
  for (const [flag, path] of [
    ['--report', flags.report],
    ['--junit', flags.junit],
    ['--markdown', flags.markdown],
  ] as const) {
    if (path === undefined) continue;
    const why = unwritable(resolve(path));
    if (why)
      throw new FatalError(
        'usage',
        `${flag} ${path}: ${why}`,
        'give a file path in a folder that exists and can be written',
      );
  }
}

function unwritable(path: string): string | undefined {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return 'is a folder';
    return canWrite(path) ? undefined : 'cannot be written';
  }
  const folder = dirname(path);
  if (!existsSync(folder)) return `the folder ${folder} does not exist`;
  return canWrite(folder) ? undefined : `the folder ${folder} cannot be written`;
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Prints the report in the chosen format, then writes the `--report`, `--junit` and `--markdown` files, and under GitHub
 * Actions adds annotations and a step summary. Secrets are redacted everywhere. The report is printed
 * first: whatever happens to a file, the results of a push are never lost. Returns the run's exit code:
 * `exitCodeOf(report)`, or 3 when a file could not be written and `afterWrites` is not set. With
 * `afterWrites` (sync, once it wrote to Port) a file that cannot be written is a warning and the exit code
 * stays the push's own: CI must not read a push that happened as a run that failed.
 */
export function emitReport(
  report: Report,
  output: Output,
  flags: ReportFlags,
  env: NodeJS.ProcessEnv,
  options: { afterWrites?: boolean } = {},
): ExitCode {
  if (flags.format === 'json') output.outPieces(jsonPieces(report));
  else output.out(renderReport(report, output, { verbose: flags.verbose, quiet: flags.quiet }));
  let written = true;
  const write = (flag: string, path: string, pieces: () => Iterable<string>) => {
    try {
      output.writeFile(path, pieces());
    } catch (error) {
      written = false;
      output.err(
        `${options.afterWrites ? 'warning' : 'error'}: ${flag} ${printable(path)} could not be written: ${(error as NodeJS.ErrnoException).code ?? String(error)} (the results above are complete)`,
      );
    }
  };
  if (flags.report) write('--report', flags.report, () => withNewline(jsonPieces(report)));
  if (flags.junit) write('--junit', flags.junit, () => [junitReport(report)]);
  if (flags.markdown) write('--markdown', flags.markdown, () => [planMarkdown(report)]);

  if (env.GITHUB_ACTIONS === 'true') {
    // The runner reads workflow commands from both streams; stdout stays the report's in json mode.
    const annotations = githubAnnotations(report);
    if (annotations.length > 0) output.command(annotations, flags.format === 'json' ? 'stderr' : 'stdout');
    if (env.GITHUB_STEP_SUMMARY) {
      try {
        appendFileSync(env.GITHUB_STEP_SUMMARY, output.redact(githubStepSummary(report)));
      } catch (error) {
        output.err(
          `warning: the step summary could not be written: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    }
  }
  return written || options.afterWrites ? exitCodeOf(report) : EXIT.fatal;
}

/**
 * What a run says as it goes, on stderr: notes, warnings, hints (text output only), stage timings
 * (`PORT_GITOPS_TIMINGS=1`), debug lines (`--debug`, `PORT_GITOPS_DEBUG=1`), and progress on long pushes.
 */
export function printEvents(
  output: Output,
  flags: Pick<ReportFlags, 'format' | 'quiet' | 'debug'> & { progress?: boolean },
  env: NodeJS.ProcessEnv,
): (event: RunEvent) => void {
  const timings = env.PORT_GITOPS_TIMINGS === '1';
  const debug = flags.debug === true || env.PORT_GITOPS_DEBUG === '1';
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
      case 'debug':
        if (debug) output.err(`debug: ${printable(event.message)}`);
        return;
      case 'timing':
        if (timings) {
          const rss = Math.round(process.memoryUsage.rss() / 2 ** 20);
          process.stderr.write(`timing: ${event.stage} ${Math.round(event.ms)} ms (memory ${rss} MB)\n`);
        }
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
