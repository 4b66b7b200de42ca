import { PassThrough } from 'node:stream';
import { EXIT, FatalError } from '@port-gitops/core/outcome';
import { describe, expect, it } from 'vitest';
import { reportFailure } from './failure.js';
import { Output } from './output.js';
import { VERSION } from './version.js';

function capture() {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk) => (text += chunk));
  const output = new Output(new PassThrough(), stderr);
  output.addSecret('s3cr3t-value');
  return { output, lines: () => text.split('\n').filter(Boolean) };
}

describe('reportFailure', () => {
  it('ends a crash with its own exit code and one line saying it is a bug and what to attach', () => {
    const { output, lines } = capture();
    const crash = new TypeError("Cannot read properties of undefined (reading 'x') near s3cr3t-value\nsecond line");
    expect(reportFailure(crash, output, { debug: false })).toBe(EXIT.internal);
    expect(EXIT.internal).not.toBe(EXIT.fatal);
    expect(lines()).toEqual([
      `internal error (a bug in port-gitops ${VERSION}): TypeError: Cannot read properties of undefined (reading 'x') near ***. Please report it at https://github.com/port-gitops/port-gitops/issues with the command line and what a run with --debug prints.`,
    ]);
  });

  it('prints the stack only with the debug switch, redacted', () => {
    const { output, lines } = capture();
    const crash = new RangeError('s3cr3t-value out of range');
    expect(reportFailure(crash, output, { debug: true })).toBe(EXIT.internal);
    expect(lines()[0]).toMatch(/^internal error \(a bug in port-gitops/);
    expect(lines()[1]).toBe('RangeError: *** out of range');
    expect(lines().slice(2).length).toBeGreaterThan(0);
    for (const line of lines().slice(2)) expect(line).toMatch(/^ {4}at /);
    expect(lines().join('\n')).not.toContain('s3cr3t-value');
  });

  it("ends the user's errors with 3 (4 for a stale sync), message and hint, with no stack", () => {
    const { output, lines } = capture();
    expect(reportFailure(new FatalError('config', 'bad config\nline two', 'fix it'), output, { debug: true })).toBe(
      EXIT.fatal,
    );
    expect(reportFailure(new FatalError('stale', 'older'), output, { debug: false })).toBe(EXIT.stale);
    expect(lines()).toEqual(['error: bad config', 'line two', 'hint: fix it', 'error: older']);
  });
});
