import type { Blueprint } from '@port-gitops/port-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRepo } from '../../../../test/helpers.js';
import { loadConfig } from '../config/index.js';
import { createEntityFileMatcher, entityPathspecs } from '../discover/index.js';
import { Git } from '../git/index.js';
import type { Selection } from '../model.js';
import { createEntityReader, load } from '../read/index.js';
import {
  OtherFiles,
  OtherFilesScan,
  definedInOtherFiles,
  literalPattern,
  relationsToRemoved,
} from './relation-targets.js';

/** Every way an entity file writes an identifier that the lookup must see, and some that only look like one. */
const FILES: Record<string, string> = {
  'a/port.yml': 'identifier: svc-a\nblueprint: service\n',
  'b/port.yml':
    '- identifier: "svc-b"  # quoted, with a comment\n  blueprint: service\n- {identifier: svc-c, blueprint: service}\n',
  'c/port.json': '{"identifier": "svc-d", "blueprint": "service"}',
  'd/port.json': '[{ "blueprint": "service",\n  "identifier":"svc.e+1" }]',
  'e/port.yml': "'identifier': 'retail/shop'\nblueprint: service\n",
  'f/port.yml': 'identifier: >-\n  svc-block\nblueprint: service\n',
  'g/port.yml': 'identifier:\n  svc-next-line\nblueprint: service\n',
  'h/port.yml': 'identifier: &anchor svc-anchored\nblueprint: service\n',
  'i/port.yml': 'identifier: ünïcode-svc\nblueprint: service\n',
  'j/port.yml': 'identifier: back\\slash\nblueprint: service\n',
  // Written with escapes (JSON, YAML double quotes) or as an explicit key: the value on the line is not the name.
  'm/port.json': '{"identifier": "svc\\u002descaped", "blueprint": "service"}',
  'n/port.yml': 'identifier: "svc\\x2dquoted"\nblueprint: service\n',
  'o/port.yml': '? identifier\n: svc-explicit\nblueprint: service\n',
  // Look like definitions and are not: another key that ends like one, a mention in a relation.
  'k/port.yml':
    'identifier: k\nblueprint: service\nproperties: { myidentifier: svc-x }\nrelations: { dependsOn: [svc-y] }\n',
  'l/catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop-web\nspec: { type: service, owner: team-a, lifecycle: production }\n',
  'port-gitops.config.json': JSON.stringify({ backstage: {} }),
};

/** What the files define, then names no file defines (a mention, a look-alike key, a prefix, another namespace). */
const DEFINED = [
  'svc-a',
  'svc-b',
  'svc-c',
  'svc-d',
  'svc.e+1',
  'retail/shop',
  'svc-block',
  'svc-next-line',
  'svc-anchored',
  'ünïcode-svc',
  'back\\slash',
  'shop-web',
  'svc-escaped',
  'svc-quoted',
  'svc-explicit',
];
const NAMES = [...DEFINED, 'svc-x', 'svc-y', 'svc', 'default/shop-web'];

/** What the search of the files a run did not load is given, when the run loaded none. */
const searchOf = (root: string, include: string[], reader: ReturnType<typeof createEntityReader>) => ({
  root,
  include,
  matcher: createEntityFileMatcher({ root, include, exclude: [], gitignore: false }),
  loaded: [],
  reader,
});

/** Reads files the run did not select, as the run reads those a search found. */
const readUnchanged =
  (root: string, reader: ReturnType<typeof createEntityReader>, blueprints: ReadonlyMap<string, Blueprint>) =>
  (paths: string[]) =>
    load({ files: paths.map((path) => ({ path, status: 'unchanged' })), refused: [] } as unknown as Selection, {
      root,
      reader,
      blueprints,
    });

describe('looking up relation targets in the entity files a run did not load', () => {
  it('finds the same definitions whether git lists every identifier line or only the candidates', async () => {
    const root = makeRepo(FILES);
    const { config } = loadConfig(root);
    const reader = createEntityReader({ rules: [], backstage: config.backstage });
    const options = {
      root,
      include: config.include,
      matcher: createEntityFileMatcher({ root, include: config.include, exclude: [], gitignore: false }),
      loaded: [],
      reader,
    };
    const git = new Git(root);
    const lookup = (names: string[], search: 'keys' | 'definitions') =>
      definedInOtherFiles(
        new OtherFiles(git, options, [], search),
        names.map((identifier) => ({ blueprint: 'x', identifier })),
      );
    // Everything the files define, found both ways.
    const all = await lookup(NAMES, 'definitions');
    expect([...all].map((key) => key.split('\u0000')[1]).sort()).toEqual([...DEFINED].sort());
    await fc.assert(
      fc.asyncProperty(fc.subarray(NAMES, { minLength: 1 }), async (names) => {
        expect(await lookup(names, 'definitions')).toEqual(await lookup(names, 'keys'));
      }),
      { numRuns: 40 },
    );
  });

  it('finds the same definitions from a search another one carried as from its own', async () => {
    const root = makeRepo(FILES);
    const { config } = loadConfig(root);
    const reader = createEntityReader({ rules: [], backstage: config.backstage });
    const options = searchOf(root, config.include, reader);
    const git = new Git(root);
    // Which of `names` the files define (an answer may hold more keys, of the files it read: callers ask by key).
    const lookup = async (names: string[], carried?: OtherFilesScan) => {
      const found = await definedInOtherFiles(
        new OtherFiles(git, { ...options, ...(carried ? { carried } : {}) }, []),
        names.map((identifier) => ({ blueprint: 'x', identifier })),
      );
      const identifiers = new Set([...found].map((key) => key.split('\u0000')[1]));
      return names.filter((name) => identifiers.has(name)).sort();
    };
    expect(await lookup(NAMES)).toEqual([...DEFINED].sort());
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(NAMES, { minLength: 1 }),
        fc.subarray(NAMES),
        fc.constantFrom('file://', '$text'),
        async (names, more, marker) => {
          // The search carried by another (for a marker), for these names and maybe more.
          const search = OtherFilesScan.carried(reader.identifierKeys, [...names, ...more], [])!;
          const pathspecs = entityPathspecs(config.include);
          const lines = await git.matchingLines([literalPattern(marker), ...search.patterns], pathspecs, {
            regex: true,
          });
          search.take(lines);
          expect(await lookup(names, search)).toEqual(await lookup(names));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('finds the same relations to removed entities either way', async () => {
    const service: Blueprint = {
      identifier: 'service',
      schema: { properties: {} },
      relations: { dependsOn: { target: 'service', many: true, required: false } },
    };
    const root = makeRepo({
      '.port/blueprints/service.json': JSON.stringify(service),
      'a/port.yml': 'identifier: a\nblueprint: service\nrelations:\n  dependsOn:\n    - gone-1\n    - kept\n',
      'b/port.yml': '{identifier: b, blueprint: service, relations: {dependsOn: [gone-2]}}\n',
      'c/port.json': '{"identifier": "c", "blueprint": "service", "relations": {"dependsOn": ["gone-1", "gone-3"]}}',
      'd/port.yml': 'identifier: gone-3\nblueprint: service\n',
      'e/port.yml': 'identifier: e\nblueprint: service\nproperties: {note: "gone-1 is mentioned, not related"}\n',
      'f/port.yml': 'identifier: f\nblueprint: service\nrelations: {dependsOn: [gone-10, gone-1x]}\n',
    });
    const reader = createEntityReader({ rules: [] });
    const include = ['**/port.yml', '**/port.json'];
    const options = {
      ...searchOf(root, include, reader),
      blueprints: new Map([['service', service]]),
      strict: false,
    };
    const readFiles = readUnchanged(root, reader, options.blueprints);
    const removed = ['gone-1', 'gone-2', 'gone-3'].map((identifier) => ({
      file: 'x/port.yml',
      blueprint: 'service',
      identifier,
    }));
    const git = new Git(root);
    const found = (search: 'keys' | 'definitions') =>
      relationsToRemoved(new OtherFiles(git, options, removed, search), options, removed, readFiles).then((problems) =>
        problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.pointer}`),
      );
    const targeted = await found('definitions');
    // gone-3 is still defined by d/port.yml; the note in e and the look-alikes in f relate to nothing removed.
    expect(targeted).toEqual([
      'a/port.yml:5:7 /relations/dependsOn/0',
      'b/port.yml:1:61 /relations/dependsOn/0',
      'c/port.json:1:73 /relations/dependsOn/0',
    ]);
    expect(await found('keys')).toEqual(targeted);
    // The same from a scan another search carried (for file:// lines), and none when it did not look
    // for exactly these removed entities (OtherFiles searches on its own then).
    const carriedBy = async (mentioned: string[]) => {
      const scan = OtherFilesScan.carried(reader.identifierKeys, ['kept'], mentioned)!;
      scan.take(await git.matchingLines(['file://', ...scan.patterns], entityPathspecs(include), { regex: true }));
      const others = new OtherFiles(git, { ...options, carried: scan }, removed);
      return relationsToRemoved(others, options, removed, readFiles).then((problems) =>
        problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.pointer}`),
      );
    };
    expect(await carriedBy(['gone-1', 'gone-2', 'gone-3'])).toEqual(targeted);
    expect(await carriedBy(['gone-1', 'gone-2'])).toEqual(targeted);
  });

  it('gives each file that names a removed entity once, as git finds it, and the same problems read ahead', async () => {
    const service: Blueprint = {
      identifier: 'service',
      schema: { properties: {} },
      relations: { dependsOn: { target: 'service', many: true, required: false } },
    };
    // Enough matches that git's output reaches the run in several pieces (a pipe carries 64 KiB at a time).
    const files: Record<string, string> = { '.port/blueprints/service.json': JSON.stringify(service) };
    const padding = 'x'.repeat(200);
    for (let i = 0; i < 600; i++) {
      files[`s/${String(i).padStart(3, '0')}/port.yml`] =
        `identifier: s${i}\nblueprint: service\nrelations: {dependsOn: [gone]}  # ${padding}\n`;
    }
    const root = makeRepo(files);
    const reader = createEntityReader({ rules: [] });
    const include = ['**/port.yml'];
    const blueprints = new Map([['service', service]]);
    const readFiles = readUnchanged(root, reader, blueprints);
    const removed = [{ file: 'gone/port.yml', blueprint: 'service', identifier: 'gone' }];
    const given: string[][] = [];
    const options = { ...searchOf(root, include, reader), onMentioning: (paths: string[]) => given.push(paths) };
    const ahead = new Map(
      readFiles(Object.keys(files).filter((path) => path.endsWith('port.yml'))).map((f) => [f.path, f]),
    );
    const problems = (read: (paths: string[]) => ReturnType<typeof readFiles>) =>
      relationsToRemoved(
        new OtherFiles(new Git(root), options, removed),
        { blueprints, strict: false },
        removed,
        read,
      ).then((found) => found.map((p) => `${p.file}:${p.line}:${p.column}`));
    const readNow = await problems(readFiles);
    expect(given.length).toBeGreaterThan(1);
    const all = given.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(
      Object.keys(files)
        .filter((path) => path.endsWith('port.yml'))
        .sort(),
    );
    expect(readNow).toHaveLength(600);
    expect(await problems((paths) => paths.map((path) => ahead.get(path)!))).toEqual(readNow);
  });
});
