import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from './output.js';
import { createProgress } from './progress.js';

/** An Output whose stderr reads as a terminal, and what it was sent. */
function terminal() {
  const stderr = Object.assign(new PassThrough(), { isTTY: true });
  let text = '';
  stderr.on('data', (chunk) => (text += chunk));
  return { output: new Output(new PassThrough(), stderr), text: () => text };
}

describe('the progress bar', () => {
  it('fills and stops at the total when more entities are counted than planned, then clears its line', () => {
    const { output, text } = terminal();
    const progress = createProgress(10, output, { enabled: true, env: {} });
    progress.advance({ entities: 5, failed: 0 });
    // A retried batch counted twice: more than the total.
    expect(() => progress.advance({ entities: 8, failed: 1 })).not.toThrow();
    progress.finish();
    const frames = text().split('\r').filter(Boolean);
    expect(frames[0]).toMatch(/^\[={15} {15}\] 5\/10 entities · \d+\/s · 0 failed\u001b\[K$/);
    expect(frames[1]).toMatch(/^\[={30}\] 13\/10 entities · \d+\/s · 1 failed\u001b\[K$/);
    expect(frames.at(-1)).toBe('\u001b[K');
  });
});
