import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { blockYamlLocator } from './block-yaml.js';
import { parseYamlWithPositions } from './parse.js';
import { encodePointer } from './pointer.js';

/** Every pointer into a value, and a few that go past it. */
function pointers(value: unknown, prefix: Array<string | number> = []): string[] {
  const here = [encodePointer(prefix)];
  if (Array.isArray(value))
    return [
      ...here,
      ...value.flatMap((item, i) => pointers(item, [...prefix, i])),
      encodePointer([...prefix, value.length]),
    ];
  if (value !== null && typeof value === 'object')
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, item]) => pointers(item, [...prefix, key])),
      encodePointer([...prefix, 'not-there', 'deeper']),
    ];
  return here;
}

/** The line reader answers as the full parser for every pointer of the text's data, or not at all. */
function sameAsFullParser(text: string): boolean {
  const block = blockYamlLocator(text);
  if (!block) return false;
  const documents = jsyaml
    .loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA })
    .filter((d) => d !== null && d !== undefined);
  const full = parseYamlWithPositions(text).locator;
  const all = documents.length > 1 ? pointers(documents) : pointers(documents[0]);
  for (const pointer of all) {
    for (const options of [undefined, { key: true }]) {
      expect(block.locate(pointer, options), `${pointer} ${JSON.stringify(options)} in\n${text}`).toEqual(
        full.locate(pointer, options),
      );
    }
  }
  return true;
}

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_./-]{0,10}$/).filter((k) => !/^(true|false|null|y|n)$/i.test(k));
const plain = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9 ._/-]{0,12}[a-z0-9]$/),
  fc.integer().map(String),
  fc.constantFrom('true', 'false', 'null', 'https://svc.example.com/a?b=c', 'x:y', "it's", 'a#b'),
);
const scalarText = fc.oneof(
  plain,
  plain.map((s) => JSON.stringify(`${s} # not a comment`)),
  plain.map((s) => `'${s.replaceAll("'", '')} : x'`),
);
type Tree = string | Tree[] | { [key: string]: Tree };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  ),
})).node;

/** YAML for a tree, in the styles entity files are written in. */
function render(
  value: Tree,
  indent: number,
  style: { flow: boolean; gap: string; comment: boolean; compact: boolean; flatSeq: boolean; quoteKeys: boolean },
): string[] {
  const pad = ' '.repeat(indent);
  const note = style.comment ? '  # note' : '';
  if (typeof value === 'string') return [`${pad}${value}`];
  const scalarsOnly = (items: Tree[]) => items.every((item) => typeof item === 'string');
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (typeof item === 'string') return [`${pad}-${style.gap}${item}${note}`];
      if (style.flow && Array.isArray(item) && scalarsOnly(item)) return [`${pad}- [${item.join(', ')}]`];
      const inner = render(item, indent + 2, style);
      if (inner.length === 1 && inner[0]!.trim().startsWith('[')) return [`${pad}- ${inner[0]!.trim()}`];
      return style.compact && !Array.isArray(item)
        ? [`${pad}- ${inner[0]!.trim()}`, ...inner.slice(1)]
        : [`${pad}-`, ...inner];
    });
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return [`${pad}{}`];
  return entries.flatMap(([bare, item]) => {
    const name = style.quoteKeys ? JSON.stringify(bare) : bare;
    if (typeof item === 'string') return [`${pad}${name}:${style.gap}${item}${note}`];
    // A sequence may sit at its key's own indent.
    if (style.flatSeq && Array.isArray(item) && item.length > 0)
      return [`${pad}${name}:`, ...render(item, indent, style)];
    if (style.flow && Array.isArray(item) && scalarsOnly(item)) return [`${pad}${name}: [${item.join(',  ')}]`];
    const inner = render(item, indent + 2, style);
    if (inner.length === 1 && /^\s*(\[\]|\{\})$/.test(inner[0]!)) return [`${pad}${name}: ${inner[0]!.trim()}`];
    return [`${pad}${name}:`, ...inner];
  });
}

describe('positions of plain block YAML without the full parser', () => {
  it('are the full parser’s for every pointer of random documents in the styles entity files use', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
        fc.record({
          flow: fc.boolean(),
          gap: fc.constantFrom(' ', '  '),
          comment: fc.boolean(),
          compact: fc.boolean(),
          flatSeq: fc.boolean(),
          quoteKeys: fc.boolean(),
        }),
        fc.boolean(),
        (documents, style, blankLines) => {
          const text = documents
            .map((document) => render(document, 0, style).join(blankLines ? '\n\n' : '\n'))
            .join('\n---\n');
          let parsed = true;
          try {
            jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA });
          } catch {
            parsed = false;
          }
          if (parsed && sameAsFullParser(`${text}\n`)) answered++;
        },
      ),
      { numRuns: Number(process.env.BLOCK_YAML_RUNS ?? 400) },
    );
    // Most such documents are read by the line reader, not handed back to the full parser.
    expect(answered).toBeGreaterThan(250);
  });

  it('are the full parser’s for the repository’s own YAML fixtures and examples, or handed back', () => {
    const roots = [
      join(import.meta.dirname, '../../../../test/fixtures/rules'),
      join(import.meta.dirname, '../../../../examples'),
    ];
    let answered = 0;
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (/\.ya?ml$/.test(entry.name)) {
          const text = readFileSync(path, 'utf8');
          try {
            jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA });
          } catch {
            continue;
          }
          if (sameAsFullParser(text)) answered++;
        }
      }
    };
    for (const root of roots) visit(root);
    expect(answered).toBeGreaterThan(10);
  });

  it('are the full parser’s in long lists and mappings, which it looks into through an index', () => {
    const items = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const text = [
      'identifier: long',
      `flow: [${items.join(', ')}]`,
      'block:',
      ...items.map((item) => `  - ${item}`),
      'mapping:',
      ...items.map((item, i) => `  ${item}: {a: ${i}, b: x}`),
      '',
    ].join('\n');
    expect(sameAsFullParser(text)).toBe(true);
  });

  it('hands back what it does not read: anchors, tags, block and multi-line scalars, escapes, tabs', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: one\n  two\n',
      'a: "x\\"y"\n',
      'a:\n\tb: 1\n',
      'a: [1,\n  2]\n',
      '? a\n: b\n',
      '1: one\n',
      // A key written twice: among the first keys, and in a long mapping (found through a set).
      'a: 1\nb: 2\na: 3\n',
      `${Array.from({ length: 20 }, (_, i) => `k${i}: ${i}\n`).join('')}k3: again\n`,
      'a: {x: 1, x: 2}\n',
    ]) {
      expect(blockYamlLocator(text), text).toBeUndefined();
    }
  });
});
