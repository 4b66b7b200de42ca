import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { planMarkdown } from '../packages/cli/src/plan-markdown.js';
import { emulator, exampleBlueprints, git, makeRepo, runCli, syncEnv, writeFiles } from './helpers.js';

const domain = (id: string, description: string) =>
  `identifier: ${id}\nblueprint: domain\ntitle: ${id.toUpperCase()}\nproperties:\n  description: ${description}\n`;

describe('plan and --skip-unchanged', () => {
  it('plan reads the live entities and shows create, update field by field, unchanged and delete; writes nothing', async () => {
    const repo = makeRepo({
      'a/port.yml': domain('a', 'one'),
      'b/port.yml': domain('b', 'two'),
      'c/port.yml': domain('c', 'three'),
    });
    const port = await emulator({ record: true });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    writeFiles(repo, { 'a/port.yml': domain('a', 'changed'), 'd/port.yml': domain('d', 'new') });
    git(repo, 'rm', '-q', 'c/port.yml');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'change');
    const writesBefore = port.exchanges.filter(
      (e) => e.method !== 'GET' && !e.route.includes('search') && !e.route.includes('access_token'),
    ).length;

    const text = await runCli(['plan', '--base', 'HEAD~1', '--verbose'], { cwd: repo, env: syncEnv(port.url) });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('~ update domain/a  a/port.yml\n    properties.description: "one" → "changed"');
    expect(text.stdout).toContain('+ create domain/d  d/port.yml');
    expect(text.stdout).toContain('- delete domain/c  (was in c/port.yml)');
    expect(text.stdout).toMatch(
      /plan \(changes .*\): 3 files · 3 entities · 1 to create · 1 to update · 1 to delete · 0 unchanged/,
    );

    const json = JSON.parse(
      (await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) })).stdout,
    ) as Report;
    expect(Object.fromEntries(json.entities.map((e) => [e.identifier, e.change]))).toEqual({
      a: 'update',
      b: 'unchanged',
      d: 'create',
    });
    expect(json.entities.find((e) => e.identifier === 'a')!.diff).toEqual([
      { path: 'properties.description', from: 'one', to: 'changed' },
    ]);
    const writesAfter = port.exchanges.filter(
      (e) => e.method !== 'GET' && !e.route.includes('search') && !e.route.includes('access_token'),
    ).length;
    expect(writesAfter).toBe(writesBefore);
  });

  it('sync --skip-unchanged writes only the entities that differ from Port', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a', 'one'), 'b/port.yml': domain('b', 'two') });
    const port = await emulator({ record: true });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    writeFiles(repo, { 'b/port.yml': domain('b', 'edited') });
    const from = port.exchanges.length;
    const run = await runCli(['sync', '--all', '--skip-unchanged', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(0);
    const sent = port.exchanges
      .slice(from)
      .filter((e) => e.route.endsWith('/bulk'))
      .flatMap((e) => (e.requestBody as { entities: Array<{ identifier: string }> }).entities.map((x) => x.identifier));
    expect(sent).toEqual(['b']);
    expect((JSON.parse(run.stdout) as Report).summary).toMatchObject({ upserted: 1, unchanged: 1 });
  });

  it('plan with manageBlueprints reads each managed blueprint from Port and classes every change', async () => {
    const files = exampleBlueprints();
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as {
      schema: { properties: Record<string, Record<string, unknown>>; required: string[] };
    };
    // A property added (safe), one retyped and its format dropped (Port refuses both in place), one made
    // required (breaking).
    domain.schema.properties.budget = { type: 'number', title: 'Budget' };
    domain.schema.properties.architect = { type: 'number', title: 'Architect' };
    domain.schema.required = ['description'];
    const repo = makeRepo({
      ...files,
      '.port/blueprints/domain.json': JSON.stringify(domain, null, 2),
      '.port/blueprints/region.json': JSON.stringify({
        identifier: 'region',
        title: 'Region',
        schema: { properties: {} },
      }),
      'port-gitops.config.json': JSON.stringify({ manageBlueprints: ['domain', 'region', 'service'] }),
      'a/port.yml': 'identifier: a\nblueprint: service\ntitle: A\n',
    });
    const port = await emulator({ record: true });
    const run = await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    const classes = Object.fromEntries((report.blueprints ?? []).map((c) => [`${c.blueprint} ${c.path}`, c.class]));
    expect(classes).toEqual({
      'domain schema.properties.budget': 'safe',
      'domain schema.properties.architect.type': 'blocked',
      'domain schema.properties.architect.format': 'blocked',
      'domain schema.properties.description.required': 'breaking',
      'region ': 'safe',
    });
    // Read, never written; "service" matches Port's and says nothing; "microservice" is not managed.
    const blueprintRoutes = port.exchanges.filter((e) => e.route === '/v1/blueprints/{identifier}');
    expect(blueprintRoutes.every((e) => e.method === 'GET')).toBe(true);
    expect(blueprintRoutes.map((e) => e.path).sort()).toEqual([
      '/v1/blueprints/domain',
      '/v1/blueprints/region',
      '/v1/blueprints/service',
    ]);

    const text = await runCli(['plan', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(text.stdout).toMatch(
      /^blocked +blueprint domain: schema\.properties\.architect\.type .*"string" → "number"$/m,
    );
    const markdown = planMarkdown(report);
    expect(markdown.indexOf('**blocked**')).toBeGreaterThan(-1);
    expect(markdown.indexOf('**blocked**')).toBeLessThan(markdown.indexOf('| safe |'));

    writeFiles(repo, { 'port-gitops.config.json': JSON.stringify({ manageBlueprints: ['domain', 'team'] }) });
    const missing = await runCli(['plan', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('"manageBlueprints" lists "team", with no definition in .port/blueprints');
  });
});
