import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_BLUEPRINTS, makeDir } from '../../../../test/helpers.js';
import type { LoadedFile, Problem } from '../model.js';
import { createValidator } from '../validate/index.js';
import { loadLocalBlueprints } from './blueprints.js';
import { createEntityReader } from './entity-reader.js';
import { load } from './load.js';
import { describe, expect, it } from 'vitest';

/** Loads and validates these files as `check --all` would, with the example blueprints. */
async function check(
  files: Record<string, string>,
  options: { rules?: Array<{ files: string; blueprint: string }>; defaultBlueprint?: string; schema?: string } = {},
) {
  const root = makeDir(files);
  cpSync(EXAMPLE_BLUEPRINTS, join(root, '.port/blueprints'), { recursive: true });
  const blueprints = await loadLocalBlueprints(root, '.port/blueprints');
  const selection = {
    mode: 'all' as const,
    base: null,
    head: null,
    changedPaths: new Set<string>(),
    notes: [],
    skipped: [],
    refused: [],
    files: Object.keys(files)
      .filter((p) => /port\.|entity\.json/.test(p))
      .sort()
      .map((path) => ({ path, status: 'all' as const })),
  };
  const loaded = load(selection, {
    root,
    reader: createEntityReader({ rules: options.rules ?? [], defaultBlueprint: options.defaultBlueprint }),
    blueprints,
  });
  const result = (await createValidator({ root, blueprints, sharedSchemaPath: options.schema })).validate(loaded);
  return { root, loaded, ...result };
}

const ids = (loaded: LoadedFile[]) =>
  loaded.flatMap((f) => f.entities.map((e) => `${e.blueprint}/${e.identifier}@${e.pointer || '(root)'}`));
const where = (p: Problem) => `${p.file}:${p.line}:${p.column} ${p.pointer}`;

const service = { blueprint: 'service', properties: { language: 'go', lifecycle: 'production' } };

describe('load: file shapes', () => {
  it('reads one entity, a list, and several YAML documents, each with its pointer', async () => {
    const { loaded, problems } = await check({
      'one/port.json': JSON.stringify({ identifier: 'one', ...service }),
      'list/port.json': JSON.stringify([
        { identifier: 'l1', ...service },
        { identifier: 'l2', ...service },
      ]),
      'yaml/port.yml': 'identifier: y1\nblueprint: domain\n',
      'yamllist/port.yml': '- identifier: yl1\n  blueprint: domain\n- identifier: yl2\n  blueprint: domain\n',
      'multi/port.yaml':
        'identifier: m1\nblueprint: domain\n---\n- identifier: m2\n  blueprint: domain\n- identifier: m3\n  blueprint: domain\n---\n',
    });
    expect(problems).toEqual([]);
    expect(ids(loaded)).toEqual([
      'service/l1@/0',
      'service/l2@/1',
      'domain/m1@/0',
      'domain/m2@/1/0',
      'domain/m3@/1/1',
      'service/one@(root)',
      'domain/y1@(root)',
      'domain/yl1@/0',
      'domain/yl2@/1',
    ]);
  });

  it('reports an empty file and values that are not entities', async () => {
    const { problems } = await check({
      'empty/port.yml': '# nothing here\n',
      'scalar/port.json': '"just a string"',
      'mixed/port.yml': '- identifier: ok\n  blueprint: domain\n- 42\n',
    });
    expect(problems.map((p) => `${where(p)} ${p.code} ${p.message}`)).toEqual([
      'empty/port.yml:1:1  shape the file holds no entity',
      'mixed/port.yml:3:3 /1 shape expected an entity object, found a number',
      'scalar/port.json:1:1  shape expected an entity object, found the string "just a string"',
    ]);
  });
});

describe('load: where the blueprint comes from', () => {
  it('takes the entity field first, then the first matching rule, then --blueprint', async () => {
    const { loaded, problems } = await check(
      {
        'a/port.yml': 'identifier: own\nblueprint: domain\n',
        'legacy/x/entity.json': JSON.stringify({ identifier: 'ruled' }),
        'other/port.yml': 'identifier: fallback\n',
      },
      {
        rules: [
          { files: 'legacy/*/entity.json', blueprint: 'microservice' },
          { files: '**', blueprint: 'never-reached-for-legacy' },
        ],
        defaultBlueprint: 'domain',
      },
    );
    expect(ids(loaded)).toEqual([
      'domain/own@(root)',
      'microservice/ruled@(root)',
      'never-reached-for-legacy/fallback@(root)',
    ]);
    // A blueprint without a definition in .port/blueprints is said once, as a warning.
    expect(problems.map((p) => `${p.severity} ${p.file} ${p.rule}`)).toEqual([
      'warning other/port.yml blueprint-definition',
    ]);
  });

  it('uses --blueprint when no rule matches, and reports an entity with no blueprint at all', async () => {
    const withDefault = await check({ 'a/port.yml': 'identifier: x\n' }, { defaultBlueprint: 'domain' });
    expect(ids(withDefault.loaded)).toEqual(['domain/x@(root)']);
    const without = await check({ 'a/port.yml': 'title: first\nidentifier: x\n' });
    expect(without.problems.map((p) => `${where(p)} ${p.code} ${p.hint}`)).toEqual([
      'a/port.yml:1:1  blueprint add a "blueprint" field, a config rule whose "files" matches this file, or pass --blueprint',
    ]);
  });
});

describe('load: parse errors with positions', () => {
  it('names line and column of a JSON syntax error', async () => {
    const { problems } = await check({
      'a/port.json': '{\n  "identifier": "a",\n  "title": "x" "blueprint": "domain"\n}\n',
    });
    expect(problems.map((p) => `${where(p)} ${p.code} ${p.message}`)).toEqual([
      'a/port.json:3:16  parse invalid JSON: expected ","',
    ]);
  });

  it('points a trailing comma at the comma', async () => {
    const { problems } = await check({ 'a/port.json': '{\n  "identifier": "a",\n  "blueprint": "domain",\n}\n' });
    expect(problems.map((p) => `${where(p)} ${p.message}`)).toEqual(['a/port.json:3:24  invalid JSON: trailing comma']);
  });

  it('names line and column of a YAML error, and rejects duplicate keys', async () => {
    const { problems } = await check({
      'a/port.yml': 'identifier: a\nblueprint: domain\nproperties:\n  description: "unterminated\n',
      'b/port.yml': 'identifier: b\nblueprint: domain\nidentifier: again\n',
    });
    // An unterminated string is only known to be one at the end of the file.
    expect(problems.map((p) => `${p.file}:${p.line} ${p.code}`)).toEqual(['a/port.yml:5 parse', 'b/port.yml:3 parse']);
    expect(problems[1]!.message).toMatch(/unique/i);
  });
});

describe('validate: schema errors with pointers and positions', () => {
  it('maps each blueprint violation to its JSON pointer, line and column, with hints', async () => {
    const yaml = [
      'identifier: checkout', //          1
      'blueprint: service', //             2
      'title: Checkout', //                3
      'properties:', //                    4
      '  langauge: go', //                 5
      '  lifecycle: alive', //             6
      '  tier: "1"', //                    7
      '  url: not a url', //               8
      '  slug: computed', //               9
      'relations:', //                     10
      '  domain: [a, b]', //               11
    ].join('\n');
    const { problems } = await check({ 'svc/port.yml': yaml });
    expect(
      problems.map((p) => `${p.line}:${p.column} ${p.pointer} ${p.message}${p.hint ? ` | ${p.hint}` : ''}`),
    ).toEqual([
      '4:1 /properties/language missing required property "language"',
      '5:3 /properties/langauge unknown property "langauge" in blueprint "service" (Port may accept this) | did you mean "language"?; Port does not document whether it refuses a property its blueprint does not define; config "unverifiedRules": "warning" makes this a warning',
      '6:14 /properties/lifecycle must be one of "experimental", "production", "deprecated" (found "alive")',
      '7:9 /properties/tier must be number (found "1")',
      '8:8 /properties/url must match format "url" (found "not a url") (Port may accept this) | Port does not publish how it checks the "url" format; config "unverifiedRules": "warning" makes this a warning',
      '9:3 /properties/slug "slug" is a calculation property: Port computes it, so it cannot be set in a file',
      '11:11 /relations/domain must be string (found ["a","b"]) | "domain" is a single relation to "domain": one identifier, e.g. "a"',
    ]);
  });

  it('points into the right entity of a JSON list, and flags unknown top-level fields', async () => {
    const json =
      '[\n  {"identifier": "ok", "blueprint": "domain"},\n  {"identifier": "bad id", "blueprint": "domain", "propertes": {}}\n]\n';
    const { problems, invalidFiles, valid } = await check({ 'list/port.json': json });
    expect(
      problems.map(
        (p) =>
          `${p.line}:${p.column} ${p.pointer} ${p.message.slice(0, 30)}${p.hint ? ` | ${p.hint.slice(0, 30)}` : ''}`,
      ),
    ).toEqual([
      '3:18 /1/identifier is not a valid identifier (fou | identifiers hold letters, digi',
      '3:51 /1/propertes unknown field "propertes" | did you mean "properties"?',
    ]);
    expect([...invalidFiles]).toEqual(['list/port.json']);
    expect(valid).toEqual([]);
  });

  it('applies the shared schema of the repository, naming it in the message', async () => {
    const schema = JSON.stringify({
      type: 'object',
      required: ['team'],
      properties: { title: { type: 'string', minLength: 3 } },
    });
    const { problems } = await check(
      { 'schemas/entity.schema.json': schema, 'a/port.yml': 'identifier: a\nblueprint: domain\ntitle: ab\n' },
      { schema: 'schemas/entity.schema.json' },
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.pointer} ${p.message}`)).toEqual([
      '1:1 /team missing required property "team" (shared schema schemas/entity.schema.json)',
      '3:8 /title must NOT have fewer than 3 characters (found "ab") (shared schema schemas/entity.schema.json)',
    ]);
  });

  it('reports the same blueprint and identifier defined twice, in both places', async () => {
    const { problems, invalidFiles } = await check({
      'a/port.yml': 'identifier: dup\nblueprint: domain\n',
      'b/port.yml': 'title: x\nidentifier: other\nblueprint: domain\n---\nidentifier: dup\nblueprint: domain\n',
    });
    expect(problems.map((p) => `${where(p)} ${p.message}`)).toEqual([
      'a/port.yml:1:1  entity "dup" of blueprint "domain" is also defined at b/port.yml:5',
      'b/port.yml:5:1 /1 entity "dup" of blueprint "domain" is also defined at a/port.yml:1',
    ]);
    expect([...invalidFiles].sort()).toEqual(['a/port.yml', 'b/port.yml']);
  });

  it('keeps the other files valid when one is broken', async () => {
    const { valid, invalidFiles } = await check({
      'good/port.yml': 'identifier: good\nblueprint: domain\n',
      'bad/port.json': '{ nope',
    });
    expect(valid.map((e) => e.identifier)).toEqual(['good']);
    expect([...invalidFiles]).toEqual(['bad/port.json']);
  });
});

describe('load: file:// references', () => {
  const entityWith = (value: string, property = 'readme') =>
    `identifier: svc\nblueprint: service\nproperties:\n  language: go\n  lifecycle: production\n  ${property}: ${value}\n`;

  it('resolves root-relative, ./ and ../ paths, and records them as dependencies', async () => {
    const { loaded, problems } = await check({
      'docs/a.md': 'root doc',
      'team/svc/port.yml': entityWith('file://docs/a.md'),
      'team/svc2/port.yml': entityWith('file://./b.md').replace('svc\n', 'svc2\n'),
      'team/svc2/b.md': 'sibling doc',
      'team/svc3/port.yml': entityWith('file://../parent.md').replace('svc\n', 'svc3\n'),
      'team/parent.md': 'parent doc',
    });
    expect(problems).toEqual([]);
    const byId = Object.fromEntries(loaded.flatMap((f) => f.entities).map((e) => [e.identifier, e]));
    expect((byId.svc!.data.properties as Record<string, unknown>).readme).toBe('root doc');
    expect((byId.svc2!.data.properties as Record<string, unknown>).readme).toBe('sibling doc');
    expect((byId.svc3!.data.properties as Record<string, unknown>).readme).toBe('parent doc');
    expect(byId.svc3!.dependencies).toEqual(['team/parent.md']);
  });

  it('parses a JSON or YAML target for an object property, and inserts text for a string one', async () => {
    const { loaded, problems } = await check({
      'svc/runbook.yaml': 'pager: primary\nsteps: [a, b]\n',
      'svc/port.yml': entityWith('file://./runbook.yaml', 'runbook'),
      'svc2/notes.json': '{"kept": "as text"}',
      'svc2/port.yml': entityWith('file://./notes.json').replace('svc\n', 'svc2\n'),
    });
    expect(problems).toEqual([]);
    const props = loaded.flatMap((f) => f.entities).map((e) => e.data.properties as Record<string, unknown>);
    expect(props[0]!.runbook).toEqual({ pager: 'primary', steps: ['a', 'b'] });
    expect(props[1]!.readme).toBe('{"kept": "as text"}');
  });

  it('refuses targets outside the repository, through .. or a symlink, missing targets and oversized ones', async () => {
    const outside = makeDir({ 'secret.txt': 'do not read' });
    const { root, problems } = await check({
      'a/port.yml': entityWith('file://../../../etc/passwd'),
      'b/port.yml': entityWith('file://./link.txt').replace('svc\n', 'b\n'),
      'c/port.yml': entityWith('file://docs/missing.md').replace('svc\n', 'c\n'),
      'd/port.yml': entityWith('file://./big.md').replace('svc\n', 'd\n'),
    });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'b/link.txt'));
    writeFileSync(join(root, 'd/big.md'), 'x'.repeat(1024 * 1024 + 1));
    // The files above were created after the first load: load again now that they exist.
    const again = load(
      {
        mode: 'all',
        base: null,
        head: null,
        changedPaths: new Set<string>(),
        notes: [],
        skipped: [],
        refused: [],
        files: ['a/port.yml', 'b/port.yml', 'c/port.yml', 'd/port.yml'].map((path) => ({
          path,
          status: 'all' as const,
        })),
      },
      { root, reader: createEntityReader({ rules: [] }), blueprints: new Map() },
    );
    const messages = again.flatMap((f) => f.problems).map((p) => `${p.file}:${p.line} ${p.pointer} ${p.message}`);
    expect(messages).toEqual([
      'a/port.yml:6 /properties/readme "file://../../../etc/passwd" points outside the repository',
      'b/port.yml:6 /properties/readme "file://./link.txt": b/link.txt is a link that leads outside the repository',
      'c/port.yml:6 /properties/readme "file://docs/missing.md": the file docs/missing.md does not exist',
      'd/port.yml:6 /properties/readme "file://./big.md": d/big.md is 1048577 bytes; referenced files are limited to 1048576',
    ]);
    expect(problems.every((p) => p.code === 'file-reference')).toBe(true);
  });
});
