import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, makeDir } from './helpers.js';
// @ts-expect-error: a build script, plain JavaScript without types
import { asciiWidth } from '../packages/cli/scripts/ascii-width.mjs';

const root = join(import.meta.dirname, '..');

/** Every copy of string-width installed (yargs, cliui and wrap-ansi each name their own). */
function stringWidthCopies(modules = join(root, 'node_modules'), found: string[] = []): string[] {
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(modules, entry.name);
    if (entry.name.startsWith('@')) stringWidthCopies(path, found);
    else {
      if (entry.name === 'string-width') found.push(path);
      if (existsSync(join(path, 'node_modules'))) stringWidthCopies(join(path, 'node_modules'), found);
    }
  }
  return found;
}

describe('the bundle', () => {
  it('measures ASCII text as each copy of string-width does, and leaves any other text to string-width', async () => {
    const copies = stringWidthCopies();
    // yargs and cliui's wrapping ask for different major versions: each answer must be the same.
    expect(copies.length).toBeGreaterThanOrEqual(1);
    const widths: Array<(text: string) => number> = [];
    for (const copy of copies) {
      const { main, exports } = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
      const entry = typeof exports === 'string' ? exports : (exports?.default ?? main ?? 'index.js');
      widths.push((await import(pathToFileURL(join(copy, entry)).href)).default);
    }
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)) });
    fc.assert(
      fc.property(ascii, (text) => {
        const width = asciiWidth(text);
        if (text.includes('\x1b')) return width === undefined;
        return widths.every((stringWidth) => stringWidth(text) === width);
      }),
      { numRuns: 2000 },
    );
    // Every single character on its own, and the help's own kind of line.
    for (let code = 0; code < 0x80; code++) {
      const text = String.fromCharCode(code);
      if (code !== 0x1b) for (const stringWidth of widths) expect(asciiWidth(text)).toBe(stringWidth(text));
    }
    const line = 'Exit codes: 0 all valid, 1 some files invalid.';
    expect(asciiWidth(`${line}\n`)).toBe(line.length);
    for (const other of ['é', 'naïve', '\x1b[31mred\x1b[0m', '日本', '👍']) expect(asciiWidth(other)).toBeUndefined();
  });

  it('routes string-width through the stand-in: a check and --help build no Intl.Segmenter', () => {
    // string-width builds one when it loads; the stand-in loads it only for text that is not ASCII.
    const hook = join(makeDir({}), 'count-segmenters.mjs');
    writeFileSync(
      hook,
      [
        'let built = 0;',
        'const Real = Intl.Segmenter;',
        'Intl.Segmenter = class extends Real { constructor(...args) { super(...args); built++; } };',
        "process.on('exit', () => process.stderr.write('segmenters: ' + built + '\\n'));",
      ].join('\n'),
    );
    const cli = join(root, 'packages/cli/dist/port-gitops.mjs');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, cli, ...args], {
        cwd: EXAMPLE,
        encoding: 'utf8',
      }).stderr;
    expect(run(['check', 'teams/payments/services/checkout/port.yml'])).toContain('segmenters: 0');
    expect(run(['--help'])).toContain('segmenters: 0');
  });
});
