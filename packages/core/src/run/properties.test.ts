import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { exampleBlueprints, makeDir } from '../../../../test/helpers.js';
import { discover } from '../discover/index.js';
import { Git } from '../git/index.js';
import { numberAsWritten } from '../source/index.js';
import { check } from './check.js';

/**
 * Properties over random input, with real files: nothing crashes or hangs, every file is accounted for,
 * and whatever check passes, sync can send as written (its JSON round trip gives the same value back,
 * within one request's size).
 */

const INCLUDE = ['**/port.yml', '**/port.json', '**/*.port.yml'];

/** A fresh repository folder (not git: the walk), with the example blueprints and a config. */
function workspace(files: Record<string, string | Uint8Array>): string {
  const root = makeDir({ ...exampleBlueprints(), 'port-gitops.config.json': JSON.stringify({ include: INCLUDE }) });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Valid entities the properties met: the "sendable as written" branch must be exercised, not only passed. */
let validSeen = 0;

/** The property every checked file must satisfy: accounted for, and valid means sendable as written. */
async function checkedAndSendable(root: string, paths: string[]): Promise<void> {
  const report = await check({ cwd: root, select: { kind: 'all' } });
  const accounted = new Set(report.files.map((file) => file.path));
  for (const path of paths) expect(accounted, path).toContain(path);
  // Entities of valid files are what sync would push: JSON carries each exactly, within one request.
  const valid = new Set(report.files.filter((f) => f.outcome === 'loaded').map((f) => f.path));
  const run = await import('./prepare.js').then(({ prepare }) => prepare({ cwd: root, select: { kind: 'all' } }));
  for (const entity of run.validation.valid) {
    validSeen++;
    expect(valid).toContain(entity.file);
    const json = JSON.stringify(entity.data);
    expect(JSON.parse(json)).toEqual(entity.data);
    expect(Buffer.byteLength(json)).toBeLessThan(1024 * 1024);
  }
}

describe('properties', () => {
  it('random bytes as entity files: never a crash, every file accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('a/port.yml', 'b/port.json'),
        async (bytes, path) => {
          await checkedAndSendable(workspace({ [path]: bytes }), [path]);
        },
      ),
      { numRuns: 60 },
    );
  });

  describe('random entity-shaped data in YAML and JSON', () => {
    const awkward = fc.constantFrom(
      '1e400',
      '-.inf',
      '.nan',
      '9007199254740993',
      '"a\\u0000b"',
      '0b101',
      '+.5',
      '!!binary aGk=',
      '? [a]',
    );
    // Mostly entities a blueprint accepts (so that "valid means sendable" is put to the test), with
    // values of every kind where the blueprint takes anything (an object property), and some that are not.
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.double(), fc.string(), fc.constant(null));
    const identifier = fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/) },
      { weight: 1, arbitrary: fc.constantFrom('..', 'x y', '', 'ünï', 'a/b') },
    );
    const domain = fc.record(
      {
        identifier,
        blueprint: fc.constant('domain'),
        title: fc.string(),
        properties: fc.record({ description: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['identifier', 'blueprint'] },
    );
    const service = fc.record(
      {
        identifier,
        blueprint: fc.oneof({ weight: 4, arbitrary: fc.constant('service') }, fc.constantFrom('Service', 'nope')),
        properties: fc.record({
          language: fc.oneof({ weight: 4, arbitrary: fc.constant('go') }, fc.constant('cobol')),
          lifecycle: fc.constant('production'),
          tier: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(1, 2, 3) }, fc.double()),
          runbook: fc.oneof(
            { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 })) },
            fc.dictionary(fc.string({ maxLength: 5 }), anyValue),
          ),
        }),
        relations: fc.record(
          {
            domain: fc.oneof({ weight: 4, arbitrary: identifier }, fc.string()),
            dependsOn: fc.array(identifier, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['identifier', 'blueprint', 'properties'] },
    );
    const entity = fc.oneof(domain, service);

    it('validates, and what it passes goes out exactly as written', async () => {
      const before = validSeen;
      await fc.assert(
        fc.asyncProperty(fc.array(entity, { minLength: 1, maxLength: 2 }), fc.boolean(), async (entities, asJson) => {
          const path = asJson ? 'svc/port.json' : 'svc/port.yml';
          await checkedAndSendable(workspace({ [path]: asJson ? JSON.stringify(entities) : toYaml(entities) }), [path]);
        }),
        { numRuns: 60 },
      );
      // The property must have met valid entities, not only passed for want of any.
      expect(validSeen - before).toBeGreaterThan(20);
    });

    it('with a value written by hand that JSON cannot carry as written: never a crash, never sent altered', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(entity, { minLength: 1, maxLength: 2 }),
          awkward,
          fc.boolean(),
          async (entities, token, asJson) => {
            const text = asJson ? JSON.stringify(entities) : toYaml(entities);
            // The raw token where a value of the runbook (an object property: any value) or the title stands.
            const spliced = text.replace(/((?:title|description)"?:\s*)("(?:[^"\\]|\\.)*"|[^\n,{}[\]]*)/, `$1${token}`);
            const path = asJson ? 'svc/port.json' : 'svc/port.yml';
            await checkedAndSendable(workspace({ [path]: spliced }), [path]);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  it('numbers of any length and exponent: each goes out as the same number as written, or is refused', async () => {
    // A double carries about 16 significant digits between about 1e-308 and 1e308: a token past either
    // must be refused, and any other must reach Port as the number it writes.
    const token = fc
      .tuple(
        fc.constantFrom('', '-'),
        fc.stringMatching(/^[1-9][0-9]{0,22}$/),
        fc.option(fc.stringMatching(/^[0-9]{1,22}$/)),
        fc.option(fc.integer({ min: -420, max: 420 })),
      )
      .map(([sign, whole, fraction, exponent]) =>
        [sign, whole, fraction === null ? '' : `.${fraction}`, exponent === null ? '' : `e${exponent}`].join(''),
      );
    let refused = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 4 }), fc.boolean(), async (tokens, asJson) => {
        const values = tokens.join(', ');
        const text = asJson
          ? `{"identifier": "n", "blueprint": "service", "properties": {"language": "go", "lifecycle": "production", "runbook": {"values": [${values}]}}}`
          : `identifier: n\nblueprint: service\nproperties:\n  language: go\n  lifecycle: production\n  runbook:\n    values: [${values}]\n`;
        const path = asJson ? 'n/port.json' : 'n/port.yml';
        const run = await import('./prepare.js').then(({ prepare }) =>
          prepare({ cwd: workspace({ [path]: text }), select: { kind: 'all' } }),
        );
        const [entity] = run.validation.valid;
        if (entity) {
          sent++;
          const sentValues = (entity.data.properties as { runbook: { values: number[] } }).runbook.values;
          const back = JSON.parse(JSON.stringify(sentValues)) as number[];
          for (const [i, written] of tokens.entries()) expect(numberAsWritten(written, back[i]!), written).toBe(true);
        } else {
          refused++;
          const numbers = run.validation.problems.filter((p) => p.rule === 'port entity: number');
          expect(numbers.length, tokens.join(' ')).toBeGreaterThan(0);
          // Each refused token is one a double cannot carry as written.
          for (const problem of numbers) {
            const written = tokens[Number(problem.pointer.split('/').pop())]!;
            expect(numberAsWritten(written, Number(written)), written).toBe(false);
          }
        }
      }),
      { numRuns: 80 },
    );
    expect(refused).toBeGreaterThan(5);
    expect(sent).toBeGreaterThan(5);
  });

  it('random paths: git and the walk find the same files, and every file matching include is accounted for', async () => {
    const segment = fc
      .stringMatching(/^[a-z .\-_#:ü\n]{1,6}$/)
      .filter((s) => s !== '.' && s !== '..' && !s.includes('/'));
    const name = fc.constantFrom('port.yml', 'port.json', 'x.port.yml', 'README.md', '.gitignore', 'port.yml.bak');
    const tree = fc.uniqueArray(fc.tuple(fc.array(segment, { maxLength: 3 }), name), {
      maxLength: 12,
      selector: ([dirs, file]) => [...dirs, file].join('/'),
    });
    const exclude = fc.constantFrom<string[]>([], ['**/.*/**'], ['**/a*/**']);
    await fc.assert(
      fc.asyncProperty(tree, exclude, async (entries, excluded) => {
        const files: Record<string, string> = {};
        for (const [dirs, file] of entries) {
          const path = [...dirs, file].join('/');
          // A file may not also be a folder of another.
          if (Object.keys(files).some((other) => other.startsWith(`${path}/`) || path.startsWith(`${other}/`)))
            continue;
          files[path] = file === '.gitignore' ? '*.bak\n' : 'identifier: x\nblueprint: domain\n';
        }
        const root = makeDir(files);
        execFileSync('git', ['init', '-q'], { cwd: root });
        const walked = await discover({ root, include: INCLUDE, exclude: excluded });
        const listed = await discover({ root, include: INCLUDE, exclude: excluded, git: new Git(root) });
        expect(listed.files).toEqual(walked.files);
        expect(listed.skipped).toEqual(walked.skipped);
        const matches = picomatch(INCLUDE, { dot: true, flags: 's' });
        const accounted = new Set([...listed.files, ...listed.skipped, ...listed.refused].map((f) => f.path));
        // The trees' .gitignore files ignore *.bak only, which no include glob matches: all must be there.
        for (const path of Object.keys(files)) {
          if (matches(path)) expect(accounted, JSON.stringify(path)).toContain(path);
        }
      }),
      { numRuns: 40 },
    );
  });
});
