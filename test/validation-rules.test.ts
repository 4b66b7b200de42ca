import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Report, prepare } from '@port-gitops/core';
import { PortClient } from '@port-gitops/port-client';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  emulator,
  git,
  makeDir,
  makeRepo,
  runCli,
  syncEnv,
  teamsIn,
  writeFiles,
  writtenElsewhere,
} from './helpers.js';

const RULES = join(REPO_ROOT, 'test/fixtures/rules');
/** Writes straight into the emulator's catalogue: what Port holds before the run. */
const BAD = readdirSync(join(RULES, 'bad'))
  .filter((name) => !name.endsWith('.expect'))
  .sort();
/** A fixture of what port-gitops refuses before Port is asked, or of the repository's own rules. */
const fileOnly = (name: string) => {
  const sidecar = join(RULES, 'bad', `${name}.expect`);
  return readFileSync(existsSync(sidecar) ? sidecar : join(RULES, 'bad', name), 'utf8').includes('# file-only');
};

/** The offline check of these fixture files, through core's public API, on a copy of the fixtures. */
async function checkFixtures(paths: string[]) {
  const root = makeDir({});
  cpSync(RULES, root, { recursive: true });
  writeFileSync(join(root, 'port-gitops.config.json'), JSON.stringify({ include: ['**/*.yml'] }));
  const run = await prepare({ cwd: root, select: { kind: 'files', paths: paths.map((path) => join(root, path)) } });
  return { files: run.files, problems: run.validation.problems };
}

describe('validation messages', () => {
  it('shortens a long offending value in the message', async () => {
    const root = makeDir({
      'a/port.yml': `identifier: a\nblueprint: component\nproperties:\n  language: ${'x'.repeat(500)}\n`,
    });
    cpSync(join(RULES, '.port'), join(root, '.port'), { recursive: true });
    const run = await runCli(['check', '--all', '--format', 'json'], { cwd: root });
    const message = (JSON.parse(run.stdout) as Report).errors.find(
      (e) => e.pointer === '/properties/language',
    )!.message;
    expect(message.length).toBeLessThan(160);
    expect(message).toContain('…');
  });
});

describe("agreement between the offline check and Port's validation_only (the emulator)", () => {
  let port: Awaited<ReturnType<typeof emulator>>;
  beforeAll(async () => {
    port = await emulator({
      blueprintsDir: join(RULES, '.port/blueprints'),
      teams: teamsIn(join(RULES, '.port/teams.json')),
    });
  });

  it('gives every entity of every fixture the same verdict', async () => {
    const portable = BAD.filter((name) => !fileOnly(name));
    const { files, problems } = await checkFixtures([...portable.map((n) => `bad/${n}`), 'good/complete.port.yml']);
    const client = new PortClient({
      baseUrl: port.url,
      credentials: { clientId: 'a', clientSecret: 'b' },
      userAgent: 'port-gitops/test (repo/agreement)',
    });
    const verdicts: string[] = [];
    for (const file of files) {
      for (const entity of file.entities) {
        const offline = problems.some((p) => p.file === file.path && p.pointer.startsWith(entity.pointer))
          ? 'invalid'
          : 'valid';
        const { blueprint: _b, ...body } = entity.data;
        const [remote] = await client.upsertEntities(entity.blueprint!, [body as { identifier: string }], {
          validationOnly: true,
        });
        verdicts.push(`${file.path}${entity.pointer} offline=${offline} port=${remote!.ok ? 'valid' : 'invalid'}`);
      }
    }
    expect(verdicts.length).toBeGreaterThan(15);
    for (const verdict of verdicts) expect(verdict).toMatch(/offline=(\w+) port=\1$/);
    expect(port.store.entities()).toEqual([]); // validation_only wrote nothing
  });
});

describe('output for CI', () => {
  it('prints GitHub annotations in the exact workflow-command format and appends a step summary', async () => {
    const repo = makeRepo({
      'a/port.yml': 'identifier: a\nblueprint: component\nrelations: {team: t}\nproperties:\n  language: go, really\n',
    });
    cpSync(join(RULES, '.port'), join(repo, '.port'), { recursive: true });
    const summary = join(makeDir({}), 'summary.md');
    const run = await runCli(['check', '--all'], {
      cwd: repo,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toEqual([
      '::warning file=a/port.yml,line=3,col=19,title=port-gitops relation-target::relation "team" points at "t" of blueprint "team", which no entity file defines (it may exist in Port already; --strict-relations makes this an error)',
      '::error file=a/port.yml,line=5,col=13,title=port-gitops blueprint component%3A enum::must be one of "go", "python", "typescript" (found "go, really")',
    ]);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('### port-gitops check');
    expect(markdown).toContain('| <code>a/port.yml:5:13</code> | ❌ must be one of "go", "python"');
    // With --format json, stdout is the report alone and the annotations go to stderr.
    const json = await runCli(['check', '--all', '--format', 'json'], { cwd: repo, env: { GITHUB_ACTIONS: 'true' } });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    expect(json.stderr).toContain('::error file=a/port.yml,line=5,col=13');
  });

  it('writes a JUnit report with a test case per entity file, parsed back', async () => {
    const root = makeDir({});
    cpSync(RULES, root, { recursive: true });
    writeFiles(root, {
      'port-gitops.config.json':
        '{"schema": "schemas/entity.schema.json", "include": ["bad/*.yml", "bad/*.json", "good/*.yml"]}',
    });
    const junit = join(makeDir({}), 'junit.xml');
    const run = await runCli(['check', '--all', '--junit', junit], { cwd: root });
    expect(run.code).toBe(1);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(junit, 'utf8'),
    );
    const suite = parsed.testsuites.testsuite;
    const cases = [suite.testcase].flat() as Array<{ name: string; failure?: unknown }>;
    expect(cases.map((c) => c.name)).toEqual([...BAD.map((n) => `bad/${n}`), 'good/complete.port.yml'].sort());
    expect(Number(suite.tests)).toBe(BAD.length + 1);
    // missing-definition.yml holds warnings only: its case passes, with them in system-out.
    expect(Number(suite.failures)).toBe(BAD.length - 1);
    const enumCase = cases.find((c) => c.name === 'bad/enum.yml')!;
    expect([enumCase.failure].flat()[0]).toMatchObject({
      type: 'blueprint component: enum',
      message: 'must be one of "go", "python", "typescript" (found "cobol")',
    });
    expect(cases.find((c) => c.name === 'good/complete.port.yml')!.failure).toBeUndefined();
  });
});

describe('cross-file relations', () => {
  const files = {
    'teams/port.yml': 'identifier: platform\nblueprint: team\n',
    'a/port.yml':
      'identifier: a\nblueprint: component\nproperties: {language: go}\nrelations:\n  team: platform\n  dependsOn: [b, ghost]\n',
    'b/port.yml': 'identifier: b\nblueprint: component\nproperties: {language: go}\nrelations: {team: platform}\n',
  };

  it('warns about a relation target no file defines, and fails with --strict-relations', async () => {
    const repo = makeRepo(files);
    cpSync(join(RULES, '.port'), join(repo, '.port'), { recursive: true });
    const warn = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(warn.code).toBe(0);
    expect((JSON.parse(warn.stdout) as Report).errors).toEqual([
      expect.objectContaining({
        file: 'a/port.yml',
        line: 6,
        column: 18,
        pointer: '/relations/dependsOn/1',
        code: 'relation-target',
        severity: 'warning',
      }),
    ]);
    const strict = await runCli(['check', '--all', '--strict-relations'], { cwd: repo });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(
      'a/port.yml:6:18 relation "dependsOn" points at "ghost" of blueprint "component", which no entity file defines',
    );
  });

  it('finds targets in files a changed-only run did not load', async () => {
    const repo = makeRepo(files);
    cpSync(join(RULES, '.port'), join(repo, '.port'), { recursive: true });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'blueprints');
    writeFiles(repo, { 'a/port.yml': files['a/port.yml'].replace('[b, ghost]', '[b]') });
    git(repo, 'commit', '-q', '-am', 'fix a');
    const run = await runCli(['check', '--base', 'HEAD~1', '--strict-relations', '--format', 'json'], { cwd: repo });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).errors).toEqual([]);
  });
});

describe('blueprints pull and check --remote', () => {
  it('saves blueprint definitions with stable key order and without volatile fields; check then uses them', async () => {
    const port = await emulator({ blueprintsDir: join(RULES, '.port/blueprints') });
    const repo = makeRepo({
      'a/port.yml': 'identifier: a\nblueprint: component\nrelations: {team: t}\nproperties: {language: cobol}\n',
    });
    const before = await runCli(['check', '--all'], { cwd: repo });
    expect(before.code).toBe(0); // no blueprint known offline yet
    const pull = await runCli(['blueprints', 'pull', 'component', 'team'], { cwd: repo, env: syncEnv(port.url) });
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain('pulled 2 blueprints into .port/blueprints: component, team');
    const saved = readFileSync(join(repo, '.port/blueprints/component.json'), 'utf8');
    const parsed = JSON.parse(saved);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed).not.toHaveProperty('createdAt');
    expect(parsed.schema.properties.language.enum).toEqual(['go', 'python', 'typescript']);
    const again = await runCli(['blueprints', 'pull'], { cwd: repo, env: syncEnv(port.url) });
    // Every blueprint, Port's own _user and _team included.
    expect(again.stdout).toMatch(/pulled \d+ blueprints into \.port\/blueprints: .*component, .*team/);
    expect(readFileSync(join(repo, '.port/blueprints/component.json'), 'utf8')).toBe(saved);
    const after = await runCli(['check', '--all'], { cwd: repo });
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('a/port.yml:4:24 must be one of "go", "python", "typescript" (found "cobol")');
  });

  it('asks Port with validation_only and reports its verdict on the property it names; nothing is written', async () => {
    const port = await emulator({ blueprintsDir: join(RULES, '.port/blueprints'), record: true });
    const repo = makeRepo({
      // The team "t" is in no file and not in Port yet: the same sync creates it from t/port.yml.
      't/port.yml': 'identifier: t\nblueprint: team\n',
      'a/port.yml':
        'identifier: a\nblueprint: component\nrelations: {team: t}\nproperties:\n  language: go\n  replicas: many\n',
    });
    const offline = await runCli(['check', '--all'], { cwd: repo });
    expect(offline.code).toBe(0);
    const remote = await runCli(['check', '--all', '--remote', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(remote.code).toBe(1);
    expect((JSON.parse(remote.stdout) as Report).errors.filter((e) => e.severity === 'error')).toEqual([
      expect.objectContaining({
        file: 'a/port.yml',
        line: 6,
        column: 13,
        pointer: '/properties/replicas',
        code: 'remote',
        severity: 'error',
        rule: 'port 422 blueprint_schema_mismatch',
      }),
    ]);
    const bulk = port.exchanges.filter((e) => e.route.endsWith('/bulk'));
    expect(bulk.every((e) => e.query.validation_only?.[0] === 'true')).toBe(true);
    // Asked first as Port's own pull-request check asks, then, since its target comes from a file, again.
    expect(bulk.map((e) => e.query.create_missing_related_entities?.[0])).toContain('false');
    expect(port.store.entities()).toEqual([]);
    expect((await runCli(['check', '--all', '--remote'], { cwd: repo })).code).toBe(3); // no credentials
  });

  it('reports a relation to an entity that is neither in Port nor in any file, and settles the ones Port holds', async () => {
    const port = await emulator({ blueprintsDir: join(RULES, '.port/blueprints') });
    writtenElsewhere(port, 'team', { identifier: 'platform' });
    writtenElsewhere(port, 'component', {
      identifier: 'api',
      properties: { language: 'go' },
      relations: { team: 'platform' },
    });
    const repo = makeRepo({
      'a/port.yml':
        'identifier: a\nblueprint: component\nproperties: {language: go}\nrelations:\n  team: platform\n  dependsOn: [api, ghost]\n',
    });
    cpSync(join(RULES, '.port/blueprints'), join(repo, '.port/blueprints'), { recursive: true });
    const offline = JSON.parse((await runCli(['check', '--all', '--format', 'json'], { cwd: repo })).stdout) as Report;
    expect(offline.errors.map((e) => `${e.pointer} ${e.severity}`)).toEqual([
      '/relations/team warning',
      '/relations/dependsOn/0 warning',
      '/relations/dependsOn/1 warning',
    ]);
    const remote = await runCli(['check', '--all', '--remote', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(remote.code).toBe(1);
    expect((JSON.parse(remote.stdout) as Report).errors).toEqual([
      expect.objectContaining({
        line: 6,
        column: 20,
        pointer: '/relations/dependsOn/1',
        code: 'remote',
        severity: 'error',
        message:
          'relation "dependsOn" points at "ghost" of blueprint "component", which is neither in Port nor in any entity file',
      }),
    ]);
  });

  it("places Port's refusal of a team on the team: one Port does not have, and one on an inherited-ownership blueprint", async () => {
    const port = await emulator({ blueprintsDir: join(RULES, '.port/blueprints'), teams: ['platform'] });
    writtenElsewhere(port, 'team', { identifier: 'platform' });
    const repo = makeRepo({
      'a/port.yml':
        'identifier: a\nblueprint: component\nteam: [platform, data]\nproperties: {language: go}\nrelations: {team: platform}\n',
      'd/port.yml': 'identifier: d\nblueprint: deployment\nteam: platform\n',
    });
    // No blueprint definitions and no teams file here: only Port can tell.
    expect((await runCli(['check', '--all'], { cwd: repo })).code).toBe(0);
    const remote = await runCli(['check', '--all', '--remote', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(remote.code).toBe(1);
    expect(
      (JSON.parse(remote.stdout) as Report).errors
        .filter((e) => e.code === 'remote')
        .map((e) => `${e.file}:${e.line}:${e.column} ${e.pointer} ${e.rule}`),
    ).toEqual(['a/port.yml:3:18 /team/1 port 404 not_found', 'd/port.yml:3:1 /team port 422 team_inheritance_enabled']);
  });
});

describe('teams and rules Port may not apply', () => {
  it('teams pull saves the team names, and check then refuses one Port does not have, offline', async () => {
    const port = await emulator({ teams: ['platform', 'payments'] });
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\nteam: [platform, platfrom]\n' });
    const pull = await runCli(['teams', 'pull'], { cwd: repo, env: syncEnv(port.url) });
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain('pulled 2 teams into .port/teams.json: payments, platform');
    expect(JSON.parse(readFileSync(join(repo, '.port/teams.json'), 'utf8'))).toEqual({
      teams: [
        { identifier: 'payments', title: 'payments' },
        { identifier: 'platform', title: 'platform' },
      ],
    });
    const check = await runCli(['check', '--all'], { cwd: repo });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('a/port.yml:3:18 team "platfrom" is not one of Port\'s teams (.port/teams.json)');
    expect(check.stdout).toContain('did you mean "platform"?');
  });

  it('config unverifiedRules "warning" reports what Port may accept as warnings, and lets the file be pushed', async () => {
    const root = makeRepo({ 'port-gitops.config.json': '{"unverifiedRules": "warning"}' });
    cpSync(join(RULES, '.port'), join(root, '.port'), { recursive: true });
    cpSync(join(RULES, 'bad/unverified.yml'), join(root, 'u/port.yml'));
    const strict = makeRepo({});
    cpSync(join(RULES, '.port'), join(strict, '.port'), { recursive: true });
    cpSync(join(RULES, 'bad/unverified.yml'), join(strict, 'u/port.yml'));
    const schemaProblems = (report: Report) => report.errors.filter((e) => e.code === 'schema');
    const errors = JSON.parse((await runCli(['check', '--all', '--format', 'json'], { cwd: strict })).stdout) as Report;
    expect(schemaProblems(errors).map((e) => e.severity)).toEqual(['error', 'error', 'error', 'error']);
    expect(schemaProblems(errors).every((e) => e.message.endsWith('(Port may accept this)'))).toBe(true);
    const run = await runCli(['check', '--all', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaProblems(report).map((e) => `${e.line}:${e.column} ${e.severity}`)).toEqual([
      '11:8 warning',
      '12:13 warning',
      '13:3 warning',
      '16:14 warning',
    ]);
    expect(schemaProblems(report)[0]!.hint).toBe('Port does not publish how it checks the "url" format');
    const dry = JSON.parse(
      (await runCli(['sync', '--all', '--dry-run', '--format', 'json'], { cwd: root })).stdout,
    ) as Report;
    expect(dry.entities).toEqual([
      expect.objectContaining({ identifier: 'unverified', action: 'upsert', result: 'planned' }),
    ]);
  });
});
