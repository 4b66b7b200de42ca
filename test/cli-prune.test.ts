import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { emulator, git, makeRepo, runCli, syncEnv } from './helpers.js';

const domain = (id: string) => `identifier: ${id}\nblueprint: domain\n`;

/** Writes an entity as another tool would: its own User-Agent, so its own $datasource. */
async function writeAsAnotherTool(url: string, identifier: string) {
  const { accessToken } = (await (
    await fetch(`${url}/v1/auth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"clientId":"other","clientSecret":"other"}',
    })
  ).json()) as { accessToken: string };
  const answer = await fetch(`${url}/v1/blueprints/domain/entities?upsert=true`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      'user-agent': 'other-tool/1.0',
    },
    body: JSON.stringify({ identifier }),
  });
  expect(answer.status).toBe(201);
}

function repoWith(ids: string[]) {
  const repo = makeRepo(Object.fromEntries(ids.map((id) => [`${id}/port.yml`, domain(id)])));
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/catalog.git');
  return repo;
}
const held = (port: Awaited<ReturnType<typeof emulator>>) =>
  port.store
    .all()
    .map((e) => e.identifier)
    .sort();

describe('sync --all --prune', () => {
  it('deletes only what this repository wrote and no file defines any more', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const repo = repoWith(ids);
    const port = await emulator();
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    await writeAsAnotherTool(port.url, 'foreign');
    rmSync(join(repo, 'c'), { recursive: true });

    const dry = await runCli(['sync', '--all', '--prune', '--dry-run', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(dry.code).toBe(0);
    expect((JSON.parse(dry.stdout) as Report).entities.filter((e) => e.action === 'delete')).toEqual([
      { file: '', blueprint: 'domain', identifier: 'c', action: 'delete', result: 'planned' },
    ]);
    expect(held(port)).toContain('c');

    const run = await runCli(['sync', '--all', '--prune', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).summary.deleted).toBe(1);
    expect(held(port)).toEqual([...ids.filter((id) => id !== 'c'), 'foreign'].sort());
  });

  it('refuses to delete more than 20% of a blueprint without --force, before writing anything', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const repo = repoWith(ids);
    const port = await emulator({ record: true });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    for (const id of ['a', 'b', 'c']) rmSync(join(repo, id), { recursive: true });
    const writes = () => port.exchanges.filter((e) => e.route.endsWith('/bulk') || e.method === 'DELETE').length;
    const before = writes();

    const refused = await runCli(['sync', '--all', '--prune'], { cwd: repo, env: syncEnv(port.url) });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      '--prune refuses to delete 3 of 10 entities of "domain" (the limit is 2): a, b, c',
    );
    expect(writes()).toBe(before);
    expect(held(port)).toHaveLength(10);

    expect(
      (await runCli(['sync', '--all', '--prune', '--max-deletes', '3'], { cwd: repo, env: syncEnv(port.url) })).code,
    ).toBe(0);
    expect(held(port)).toEqual(['d', 'e', 'f', 'g', 'h', 'i', 'j']);
  });

  it('is refused with --base, and when a file cannot be read', async () => {
    const repo = repoWith(['a']);
    const port = await emulator();
    const withBase = await runCli(['sync', '--base', 'HEAD', '--prune'], { cwd: repo, env: syncEnv(port.url) });
    expect(withBase.code).toBe(3);
    expect(withBase.stderr).toContain('--prune needs --all');
    const broken = repoWith(['a']);
    rmSync(join(broken, 'a/port.yml'));
    writeFileSync(join(broken, 'a/port.yml'), 'identifier: [broken');
    const unreadable = await runCli(['sync', '--all', '--prune', '--force'], { cwd: broken, env: syncEnv(port.url) });
    expect(unreadable.code).toBe(3);
    expect(unreadable.stderr).toContain('--prune needs every entity file readable');
  });
});
