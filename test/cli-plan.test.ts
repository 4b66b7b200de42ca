import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { emulator, git, makeRepo, runCli, syncEnv, writeFiles } from './helpers.js';

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
});
