import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/helpers.js';
import type { Problem } from '../model.js';
import { createEntityReader, load, loadLocalBlueprints, loadTeams } from '../read/index.js';
import { createValidator } from './validate.js';

const RULES = join(REPO_ROOT, 'test/fixtures/rules');
const BAD = readdirSync(join(RULES, 'bad'))
  .filter((name) => !name.endsWith('.expect'))
  .sort();

/**
 * `# expect: L:C rule` lines at the top of a fixture: the problems it must produce, in order. A JSON
 * fixture, which cannot hold comments, has them in `<name>.expect` beside it.
 */
function expectations(path: string): string[] {
  const sidecar = join(RULES, `${path}.expect`);
  const text = readFileSync(existsSync(sidecar) ? sidecar : join(RULES, path), 'utf8');
  return [...text.matchAll(/^# expect: (\d+:\d+ .+)$/gm)].map((m) => m[1]!);
}

async function checkFixtures(paths: string[], schema?: string) {
  const blueprints = await loadLocalBlueprints(RULES, '.port/blueprints');
  const selection = {
    mode: 'all' as const,
    base: null,
    head: null,
    changedPaths: new Set<string>(),
    notes: [],
    skipped: [],
    refused: [],
    files: paths.map((path) => ({ path, status: 'all' as const })),
  };
  const files = load(selection, { root: RULES, reader: createEntityReader({ rules: [] }), blueprints });
  return {
    files,
    blueprints,
    ...(
      await createValidator({
        root: RULES,
        blueprints,
        sharedSchemaPath: schema,
        teams: loadTeams(RULES, '.port/teams.json'),
      })
    ).validate(files),
  };
}

const describeProblem = (p: Problem) => `${p.line}:${p.column} ${p.rule}`;

describe('validation rules, one fixture each (test/fixtures/rules)', () => {
  it.each(BAD)('%s reports exactly its expected problems, at line and column', async (name) => {
    const path = `bad/${name}`;
    const { problems } = await checkFixtures([path], 'schemas/entity.schema.json');
    const expected = expectations(path);
    expect(expected.length).toBeGreaterThan(0);
    expect(problems.map(describeProblem)).toEqual(expected);
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(5);
  });

  it('accepts a file that uses every property type, format and relation correctly', async () => {
    const { problems } = await checkFixtures(['good/complete.port.yml'], 'schemas/entity.schema.json');
    expect(problems).toEqual([]);
  });

  it('gives hints: the nearest property name, the allowed values, the shape of a relation', async () => {
    const { problems } = await checkFixtures(['bad/unknown-property.yml', 'bad/enum.yml', 'bad/relations.yml']);
    const byRule = (file: string) => problems.filter((p) => p.file === file);
    expect(byRule('bad/unknown-property.yml')[0]!.hint).toMatch(/^did you mean "language"\?; Port does not document/);
    expect(byRule('bad/enum.yml')[0]!.message).toBe('must be one of "go", "python", "typescript" (found "cobol")');
    expect(byRule('bad/relations.yml').map((p) => p.hint)).toEqual([
      '"team" is a single relation to "team": one identifier, e.g. "a"',
      expect.stringMatching(
        /^"dependsOn" is a many relation to "component": a list of identifiers, e\.g\. \["a", "b"\]; Port's route takes a single identifier/,
      ),
      'known: team, dependsOn',
    ]);
  });
});
