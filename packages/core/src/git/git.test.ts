import { describe, expect, it } from 'vitest';
import { makeRepo } from '../../../../test/helpers.js';
import { Git, type MatchingLine } from './git.js';

describe('git grep through Git.matchingLines', () => {
  it('gives every line with its whole path, however git cuts its output, paths with newlines included', async () => {
    // Paths mostly after a newline, each file with many short matching lines: git writes a file's matches
    // at once, more than a pipe holds, so the cuts fall inside records, and mostly inside such a path.
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`d/x\n${'p'.repeat(150)}-${i}/port.yml`] = 'gone\n'.repeat(2000);
    const root = makeRepo(files);
    const given: MatchingLine[][] = [];
    const lines = await new Git(root).matchingLines(['gone'], ['*port.yml'], { onLines: (found) => given.push(found) });
    expect(given.length).toBeGreaterThan(1);
    expect(given.flat()).toEqual(lines);
    expect([...new Set(lines.map((line) => line.path))].sort()).toEqual(Object.keys(files).sort());
    expect(lines).toHaveLength(20 * 2000);
    expect(lines.every((line) => line.text === 'gone')).toBe(true);
  });
});
