import type { Blueprint } from '@port-gitops/port-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stringify } from 'yaml';
import { getLanguageService } from 'yaml-language-server';
import { makeDir } from '../../../../test/helpers.js';
import type { Problem } from '../model.js';
import { createEntityReader, load } from '../read/index.js';
import { createValidator } from './validate.js';
import { blueprintsDigest, digestRecordedIn, editorSchema, vscodeSettingsWithSchemas } from './editor-schema.js';

/** The diagnostics VS Code's YAML extension (yaml-language-server) shows for a file under a schema. */
let schemas = 0;
async function editorDiagnostics(schema: unknown, text: string): Promise<string[]> {
  // New addresses each time: the language server caches a schema, and a parsed document, by its address.
  const uri = `file:///schema-${++schemas}.json`;
  const service = getLanguageService({
    schemaRequestService: async () => JSON.stringify(schema),
    workspaceContext: { resolveRelativePath: (relative: string) => relative },
  } as Parameters<typeof getLanguageService>[0]);
  service.configure({ validate: true, schemas: [{ uri, fileMatch: ['*.yml'], schema }] });
  const document = TextDocument.create(`file:///repo-${schemas}/port.yml`, 'yaml', 1, text);
  const diagnostics = await service.doValidation(document, false);
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

/** What `check` says of one entity file (written as `text`) against these blueprints. */
async function checkProblems(blueprints: Map<string, Blueprint>, text: string): Promise<Problem[]> {
  const root = makeDir({ 'svc/port.yml': text });
  const files = load(
    {
      mode: 'all',
      base: null,
      head: null,
      changedPaths: new Set(),
      notes: [],
      skipped: [],
      refused: [],
      files: [{ path: 'svc/port.yml', status: 'all' }],
    },
    { root, reader: createEntityReader({ rules: [] }), blueprints },
  );
  return (await createValidator({ root, blueprints })).validate(files).problems;
}

/**
 * What JSON Schema cannot say, and `check` alone judges (docs/config.md, "In editors"): formats, relation
 * targets across files, values sync could not send as written.
 */
const checkOnly = (problem: Problem) =>
  problem.severity !== 'error' ||
  /format|relation-target|port entity: (number|nul-character|entity-size)/.test(problem.rule ?? '');

// Generated blueprints: every property type, with the rules editors and check can both read.
const propertyArb = fc.oneof(
  fc.record({ type: fc.constant('string' as const), enum: fc.option(fc.constant(['go', 'ts']), { nil: undefined }) }),
  fc.record({
    type: fc.constant('string' as const),
    minLength: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    maxLength: fc.option(fc.integer({ min: 3, max: 6 }), { nil: undefined }),
    pattern: fc.option(fc.constantFrom('^[a-z-]+$', '^v[0-9]+$'), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('string' as const),
    format: fc.constantFrom('url', 'email', 'date-time', 'markdown', 'team'),
  }),
  fc.record({
    type: fc.constant('number' as const),
    minimum: fc.option(fc.constant(0), { nil: undefined }),
    maximum: fc.option(fc.constant(10), { nil: undefined }),
  }),
  fc.record({ type: fc.constant('boolean' as const) }),
  fc.record({ type: fc.constant('object' as const) }),
  fc.record({
    type: fc.constant('array' as const),
    items: fc.constant({ type: 'string' as const }),
    maxItems: fc.option(fc.constant(2), { nil: undefined }),
  }),
);
const names = ['lang', 'tier', 'url', 'owner', 'tags'];
const blueprintArb = fc
  .record({
    properties: fc.dictionary(fc.constantFrom(...names), propertyArb, { maxKeys: 4 }),
    required: fc.subarray(names),
    many: fc.boolean(),
    relationRequired: fc.boolean(),
  })
  .map(({ properties, required, many, relationRequired }) => {
    const blueprint: Blueprint = {
      identifier: 'service',
      schema: {
        properties: Object.fromEntries(
          Object.entries(properties).map(([key, p]) => [
            key,
            Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)),
          ]),
        ) as Blueprint['schema']['properties'],
        required: required.filter((name) => name in properties),
      },
      relations: { system: { target: 'system', many, required: relationRequired } },
    };
    return blueprint;
  });
// Values of every kind for any property: right, wrong, out of bounds, null.
const valueArb = fc.constantFrom<unknown>(
  'go',
  'cobol',
  'v12',
  'ab',
  'a-long-value',
  'https://x.example',
  'not a url',
  3,
  -1,
  42,
  true,
  null,
  ['a'],
  ['a', 'b', 'c'],
  [1],
  { k: 'v' },
);
const relationArb = fc.constantFrom<unknown>('core', ['core', 'edge'], 'two words', 7, null, [], undefined);

describe('the schema for editors (port-gitops schemas)', () => {
  it('gives an entity file the same verdict in the YAML language server as check gives it, on the rules JSON Schema can say', async () => {
    const system: Blueprint = { identifier: 'system', schema: { properties: {} } };
    await fc.assert(
      fc.asyncProperty(
        blueprintArb,
        fc.dictionary(fc.constantFrom(...names, 'unknownKey'), valueArb, { maxKeys: 5 }),
        relationArb,
        async (blueprint, properties, system_) => {
          const blueprints = new Map([
            ['service', blueprint],
            ['system', system],
          ]);
          const entity: Record<string, unknown> = { identifier: 'svc', blueprint: 'service', properties };
          if (system_ !== undefined) entity.relations = { system: system_ };
          const text = stringify(entity);
          const editor = await editorDiagnostics(editorSchema(blueprints), text);
          const check = (await checkProblems(blueprints, text)).filter((p) => !checkOnly(p));
          expect(
            editor.length > 0,
            `editor and check disagree on\n${text}\neditor: ${editor.join('; ')}\ncheck: ${check.map((p) => `${p.rule} ${p.message}`).join('; ')}`,
          ).toBe(check.length > 0);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('catches a wrong enum value, a missing required property and a wrong type in a port.yml, as check does', async () => {
    const blueprints = new Map<string, Blueprint>([
      [
        'service',
        {
          identifier: 'service',
          schema: {
            properties: {
              language: { type: 'string', enum: ['go', 'python'] },
              tier: { type: 'number' },
              owner: { type: 'string' },
              docs: { type: 'string', format: 'markdown' },
              url: { type: 'string', format: 'url' },
            },
            required: ['owner'],
          },
        },
      ],
    ]);
    const text =
      'identifier: checkout\nblueprint: service\nproperties:\n  language: cobol\n  tier: high\n  docs: "# any *markdown*"\n  url: https://checkout.example.com\n';
    const editor = await editorDiagnostics(editorSchema(blueprints), text);
    expect(editor.map((d) => d.split(' ')[0])).toEqual(['3:1', '4:13', '5:9']);
    expect(editor[0]).toMatch(/owner/);
    const check = await checkProblems(blueprints, text);
    expect(check.map((p) => `${p.line}:${p.column}`)).toEqual(['3:1', '4:13', '5:9']);
    // A Port format editors do not know raises nothing there.
    expect(editor.join('\n')).not.toMatch(/format|markdown/i);
  });

  it('records the blueprints it was made from, and applies a rule blueprint to an entity that names none', async () => {
    const service: Blueprint = { identifier: 'service', schema: { properties: { tier: { type: 'number' } } } };
    const blueprints = new Map([['service', service]]);
    const schema = editorSchema(blueprints, { defaultBlueprint: 'service' });
    expect(digestRecordedIn(JSON.stringify(schema))).toBe(blueprintsDigest(blueprints));
    const changed = new Map([
      ['service', { ...service, schema: { properties: { tier: { type: 'string' as const } } } }],
    ]);
    expect(blueprintsDigest(changed)).not.toBe(blueprintsDigest(blueprints));
    expect(await editorDiagnostics(schema, 'identifier: a\nproperties:\n  tier: high\n')).toHaveLength(1);
    expect(await editorDiagnostics(editorSchema(blueprints), 'identifier: a\nproperties:\n  tier: high\n')).toEqual([]);
  });

  it("points VS Code's settings at the schemas, keeping every other setting and comment", () => {
    const before =
      '{\n  // mine\n  "editor.tabSize": 4,\n  "yaml.schemas": { "https://json.schemastore.org/github-workflow.json": [".github/workflows/*.yml"] }\n}\n';
    const after = vscodeSettingsWithSchemas(before, [
      { path: '.port/entity-files.schema.json', files: ['**/port.yml', '**/port.json'] },
    ]);
    expect(after).toContain('// mine');
    expect(after).toContain('"editor.tabSize": 4');
    expect(after).toContain('github-workflow.json');
    expect(after).toContain('"./.port/entity-files.schema.json": [\n      "**/port.yml"\n    ]');
    expect(after).toContain('"url": "./.port/entity-files.schema.json"');
    // Written again, it replaces its own entries rather than adding more.
    expect(
      vscodeSettingsWithSchemas(after, [{ path: '.port/entity-files.schema.json', files: ['**/port.yml'] }]).match(
        /entity-files/g,
      ),
    ).toHaveLength(1);
  });
});
