import { describe, expect, it } from 'vitest';
import { parseJsonSource, parseJsonWithPositions, parseYamlSource, parseYamlWithPositions } from './parse.js';

// The fast parsers give the data; the full ones give positions. They must read every file alike.
const YAML_CASES: Record<string, string> = {
  'YAML 1.1 booleans stay strings': 'a: yes\nb: no\nc: on\nd: off\ne: y\nf: True\ng: FALSE\n',
  'numbers of the core schema': 'a: 0o17\nb: 0x1F\nc: 1e3\nd: .inf\ne: -.Inf\nf: 012\ng: +12\nh: 1_000\n',
  'dates stay strings': 'a: 2024-05-01\nb: 2024-05-01T10:00:00Z\n',
  'null forms': 'a: ~\nb: null\nc: NULL\nd:\n',
  'quoted and block scalars': "a: \"x\\ty\"\nb: 'it''s'\nc: |\n  line 1\n  line 2\nd: >\n  folded\n  text\n",
  'several documents, with empty and null ones': 'identifier: a\n---\n---\nnull\n---\n- identifier: b\n',
  'flow collections and comments': '# head\n{identifier: x, tags: [a, b], props: {k: v}} # tail\n',
  'binary-looking and sexagesimal stay as the core schema says': 'a: 0b101\nb: 1:30\n',
  'keys that are not strings': '1: one\ntrue: yes\n',
  'numbers js-yaml reads otherwise than YAML 1.2': 'a: +.5\nb: -.5e3\nc: 1e400\nd: -1E-400\ne: 2e308\n',
  'unicode and a BOM-free start': 'identifier: ünï\ntitle: 日本\n',
};

describe('the fast YAML path reads data exactly as the position-keeping parser', () => {
  it.each(Object.entries(YAML_CASES))('%s', (_name, text) => {
    const fast = parseYamlSource(text);
    const full = parseYamlWithPositions(text);
    expect(full.errors).toEqual([]);
    expect(fast.errors).toEqual([]);
    expect(fast.documents).toEqual(full.documents);
  });

  it('takes the full parser for aliases, which it bounds', () => {
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(parseYamlSource(bomb).errors[0]?.message).toMatch(/alias/i);
    expect(parseYamlSource('base: &b {x: 1}\ncopy: *b\n').documents).toEqual([{ base: { x: 1 }, copy: { x: 1 } }]);
  });

  it('reports a syntax error and a duplicate key with their positions', () => {
    expect(parseYamlSource('a: [1, 2\nb: 3\n').errors[0]).toMatchObject({
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(parseYamlSource('a: 1\nb: 2\na: 3\n').errors[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('locates pointers in a file read by the fast path', () => {
    const source = parseYamlSource('identifier: a\nproperties:\n  tier: 2\n---\nidentifier: b\n');
    expect(source.locator.locate('/1/identifier')).toEqual({ line: 5, column: 13 });
    expect(source.locator.locate('/0/properties/tier', { key: true })).toEqual({ line: 3, column: 3 });
  });

  it('places problems of several files asked in turn as the full parser does: small, large, and handed back', () => {
    const entity = (i: number, extra = '') =>
      `identifier: svc-${i}\n${extra}relations:\n  dependsOn: [a-${i}, b-${i}]\n`;
    // Past the size from which a file keeps its own model; with an anchor, one the line reader hands back.
    const large = entity(
      2,
      `properties:\n${Array.from({ length: 600 }, (_, k) => `  key${k}: "value ${k}"\n`).join('')}`,
    );
    const texts = [entity(1), large, entity(3, 'base: &b {x: 1}\ncopy: *b\n'), entity(4), entity(1)];
    expect(large.length).toBeGreaterThan(8 * 1024);
    const fast = texts.map((text) => parseYamlSource(text).locator);
    const full = texts.map((text) => parseYamlWithPositions(text).locator);
    const pointers = [
      '/identifier',
      '/relations/dependsOn/1',
      '/relations/dependsOn/0',
      '/properties/key599',
      '/copy/x',
    ];
    for (let round = 0; round < 3; round++) {
      for (const pointer of pointers) {
        for (const i of [0, 1, 2, 3, 4, 1, 0]) {
          expect(fast[i]!.locate(pointer, { key: round === 1 }), `${i} ${pointer}`).toEqual(
            full[i]!.locate(pointer, { key: round === 1 }),
          );
        }
      }
    }
  });
});

describe('the fast JSON path', () => {
  it('reads data as the syntax tree does, and locates pointers', () => {
    const text = '{\n  "identifier": "a",\n  "list": [1, {"k": null}],\n  "n": 1\n}\n';
    expect(parseJsonSource(text).documents).toEqual(parseJsonWithPositions(text).documents);
    expect(parseJsonSource(text).locator.locate('/list/1/k')).toEqual({ line: 3, column: 21 });
  });

  it('refuses a key written twice in one object, where JSON.parse would keep the last one', () => {
    const text = '{\n  "identifier": "a",\n  "nested": {"k": 1, "k": 2},\n  "identifier": "b"\n}\n';
    expect(parseJsonSource(text).errors).toEqual([
      { line: 3, column: 22, rule: 'duplicate-key', message: 'invalid JSON: the key "k" appears twice in one object' },
    ]);
    expect(parseJsonSource('[{"a": 1}, {"a": 2}]').errors).toEqual([]);
  });
});
