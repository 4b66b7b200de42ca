import type { Output } from './output.js';

export interface Progress {
  advance(done: { entities: number; failed: number }): void;
  finish(): void;
}

const BAR_WIDTH = 30;
const BAR_REFRESH_MS = 100;
/** A line in CI logs every so often; PORT_GITOPS_PROGRESS_MS changes it. */
const DEFAULT_LINE_INTERVAL_MS = 10_000;

/**
 * Progress of a long push on stderr: a bar redrawn in place on a terminal, a line every 10 s in CI
 * logs (which do not redraw), nothing when stdout is the JSON report or it was asked for.
 */
export function createProgress(
  total: number,
  output: Output,
  options: { enabled: boolean; env: NodeJS.ProcessEnv },
): Progress {
  if (!options.enabled || total === 0) return { advance: () => {}, finish: () => {} };
  const started = performance.now();
  let done = 0;
  let failed = 0;
  const rate = () => Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
  const status = () => `${done}/${total} entities · ${rate()}/s · ${failed} failed`;

  if (output.stderrIsTerminal) {
    let drawnAt = 0;
    const draw = () => {
      // A count past the total (a retried batch counted again) fills the bar, never more.
      const filled = Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
      output.redraw(`[${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${status()}`);
      drawnAt = performance.now();
    };
    return {
      advance(step) {
        done += step.entities;
        failed += step.failed;
        if (performance.now() - drawnAt >= BAR_REFRESH_MS || done >= total) draw();
      },
      finish() {
        if (drawnAt > 0) output.redraw('');
      },
    };
  }
  const interval = Number(options.env.PORT_GITOPS_PROGRESS_MS) || DEFAULT_LINE_INTERVAL_MS;
  const timer = setInterval(() => output.err(`progress: ${status()}`), interval);
  timer.unref();
  return {
    advance(step) {
      done += step.entities;
      failed += step.failed;
    },
    finish() {
      clearInterval(timer);
    },
  };
}
