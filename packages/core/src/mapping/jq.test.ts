import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asJq } from './app-config.js';
import { loadJqEngine, plainPathOf, walkPath } from './jq.js';

/**
 * Filters mappings use, with the answers jq 1.8.2 gives (its manual's examples and the idioms of Port's
 * docs and Ocean's examples): the engine is jq itself, and this holds the per-field rules around it.
 */
const CASES: Array<[filter: string, input: unknown, answer: unknown]> = [
  ['.content.name', { content: { name: 'web' } }, 'web'],
  ['.item.key + "_" + (.item.value | ltrimstr("^"))', { item: { key: 'react', value: '^18.2.0' } }, 'react_18.2.0'],
  ['.content.dependencies | to_entries | map(.key)', { content: { dependencies: { a: '1', b: '2' } } }, ['a', 'b']],
  ['.description // "n/a"', {}, 'n/a'],
  ['.a?', 'text', undefined],
  ['try error("x") catch .', null, 'x'],
  ['.path | split("/") | .[:-1] | join("/")', { path: 'apps/web/package.json' }, 'apps/web'],
  ['.[0]', ['first', 'second'], 'first'],
  ['.file.path | gsub(" "; "")', { file: { path: 'a b c' } }, 'abc'],
  [
    '"\\(.repo.name)-\\(.file.path | ascii_downcase | gsub("[ ();]"; ""))"',
    { repo: { name: 'r' }, file: { path: 'A (B);' } },
    'r-ab',
  ],
  ['.v | test("^v[0-9]+$")', { v: 'v12' }, true],
  ['[paths] | length', { a: { b: 1 } }, 2],
  ['.s | @base64', { s: 'port' }, 'cG9ydA=='],
  ['"2026-12-07T10:00:00Z" | fromdateiso8601', null, 1796637600],
  ['.x | trim', { x: '  padded  ' }, 'padded'],
  ['.a.[0]', { a: [7] }, 7],
  ['if .enabled then "on" else "off" end', { enabled: false }, 'off'],
  ['.n | tostring', { n: 1.5 }, '1.5'],
  ['"😀x" | length', null, 2],
];

describe('jq, as mappings run it', () => {
  it('answers as jq 1.8.2 does', async () => {
    const engine = await loadJqEngine();
    for (const [filter, input, answer] of CASES) {
      const [result] = engine.evaluate([input], new Map([['f', filter]]));
      const got = result!.get('f')!;
      expect(got, filter).toEqual(answer === undefined ? { none: true } : { value: answer });
    }
  });

  it("keeps Ocean's rules per field: the first output, nothing, an error; no environment", async () => {
    const engine = await loadJqEngine();
    const [row] = engine.evaluate(
      [{ a: [1, 2] }],
      new Map([
        ['first', '.a[]'],
        ['nothing', 'empty'],
        ['error', '.a | tonumber'],
        ['env', 'env | length'],
        ['$ENV', '$ENV | length'],
        ['input', 'input'],
      ]),
    );
    expect(row!.get('first')).toEqual({ value: 1 });
    expect(row!.get('nothing')).toEqual({ none: true });
    expect(row!.get('error')).toMatchObject({ error: expect.stringContaining('cannot be parsed as a number') });
    expect(row!.get('env')).toEqual({ value: 0 });
    expect(row!.get('$ENV')).toEqual({ value: 0 });
    // One input per item, as Ocean gives each: another item is never read.
    expect(row!.get('input')).toHaveProperty('error');
    expect(engine.compileError('.a | ]')).toMatch(/syntax error/);
    expect(engine.compileError('.a | length')).toBeUndefined();
  });

  it('reads single quotes as Ocean does: around a word, not inside a call', () => {
    expect(asJq("'service'")).toBe('"service"');
    expect(asJq(".x == 'a b'")).toBe('.x == "a b"');
    expect(asJq("startswith('svc')")).toBe("startswith('svc')");
  });

  it('answers a plain path or a literal here exactly as jq answers it (values and errors alike)', async () => {
    const engine = await loadJqEngine();
    const key = fc.constantFrom('a', 'b', 'content', 'name', '_x', 'k1');
    const path = fc.array(fc.oneof(key, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), path, async (input, steps) => {
        const filter = steps
          .map((step, i) => (typeof step === 'number' ? `${i === 0 ? '.' : ''}[${step}]` : `.${step}`))
          .join('');
        expect(plainPathOf(filter)).toEqual(steps);
        // Through jq itself: the filter wrapped so that this engine cannot take its own way.
        const [viaJq] = engine.evaluate([input], new Map([['f', `${filter} | .`]]));
        expect(walkPath(JSON.parse(JSON.stringify(input)), steps), filter).toEqual(viaJq!.get('f'));
      }),
      { numRuns: 400 },
    );
    expect(plainPathOf('[0]')).toBeUndefined();
    expect(plainPathOf('.a | .b')).toBeUndefined();
    const [literals] = engine.evaluate(
      [null],
      new Map([
        ['s', '"service"'],
        ['t', 'true'],
        ['n', 'null'],
        ['i', '"a\\(1)"'],
      ]),
    );
    expect(Object.fromEntries(literals!)).toEqual({
      s: { value: 'service' },
      t: { value: true },
      n: { value: null },
      i: { value: 'a1' },
    });
  });
});
