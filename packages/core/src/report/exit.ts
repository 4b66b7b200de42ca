import type { Report } from './report.js';

/** The exit codes (docs/cli.md, "Exit codes"); where several apply, the highest wins. */
export const EXIT = {
  /** Everything selected is valid and, for sync, pushed. */
  ok: 0,
  /** Some entity files are invalid. */
  invalid: 1,
  /** Some entities failed to push after retries. */
  pushFailed: 2,
  /** Usage, configuration, git or authentication error: the run could not do its job. */
  fatal: 3,
  /** A sync of a commit older than the one Port already holds for the branch: nothing was written. */
  stale: 4,
  /**
   * port-gitops itself failed (a bug, not the input): sysexits' EX_SOFTWARE, apart from 3 so that CI
   * never reads a crash as "your configuration".
   */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code a report calls for. Credentials refused during a push end it as a fatal error. */
export function exitCodeOf(report: Report): ExitCode {
  if (report.entities.some((entity) => entity.result === 'failed' && entity.error?.status === 401)) return EXIT.fatal;
  if (report.summary.failed > 0) return EXIT.pushFailed;
  if (report.summary.invalid > 0) return EXIT.invalid;
  return EXIT.ok;
}
