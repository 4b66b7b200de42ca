import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import type { Blueprint } from '@port-gitops/port-schema';
import { describe, expect, it } from 'vitest';
import { emulator, git, makeRepo, runCli, syncEnv } from './helpers.js';

const domain = (id: string) => `identifier: ${id}\nblueprint: domain\n`;
const CONFIG = '{"provenance": {"property": "origin"}}';
const blueprints: Blueprint[] = [
  { identifier: 'domain', schema: { properties: { origin: { type: 'object' } } } },
  {
    identifier: 'service',
    schema: { properties: { origin: { type: 'object' } } },
    relations: { domain: { target: 'domain', required: false, many: false } },
  },
];

/** Writes an entity as another tool (or a person) would: with its own User-Agent, and what it chooses to set. */
async function writeAsAnotherTool(url: string, entity: Record<string, unknown>) {
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
      // A User-Agent like port-gitops's own: prune must not go by it.
      'user-agent': 'port-gitops/0.1.0 (repo/github.com/acme/catalog)',
    },
    body: JSON.stringify(entity),
  });
  expect(answer.status).toBe(201);
}

function repoWith(ids: string[], extra: Record<string, string> = {}) {
  const repo = makeRepo({
    'port-gitops.config.json': CONFIG,
    ...Object.fromEntries(ids.map((id) => [`${id}/port.yml`, domain(id)])),
    ...extra,
  });
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/catalog.git');
  return repo;
}
const held = (port: Awaited<ReturnType<typeof emulator>>) =>
  port.store
    .entities()
    .filter((e) => e.blueprint === 'domain')
    .map((e) => e.identifier)
    .sort();
const portWithBlueprints = (options: Parameters<typeof emulator>[0] = {}) =>
  emulator({ blueprintsDir: undefined, blueprints, ...options });

describe('sync --all --prune', () => {
  it('deletes only what this repository provably wrote (its provenance) and no file defines any more', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    // A service relates to a domain no file defines: Port creates it bare (create_missing_related_entities).
    const repo = repoWith(ids, { 'svc/port.yml': 'identifier: svc\nblueprint: service\nrelations: {domain: bare}\n' });
    const port = await portWithBlueprints();
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    expect(held(port)).toContain('bare');
    await writeAsAnotherTool(port.url, { identifier: 'by-hand' });
    await writeAsAnotherTool(port.url, {
      identifier: 'other-repo',
      properties: { origin: { path: 'x/port.yml', commit: 'abc', repository: 'github.com/acme/other' } },
    });
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
    const kept = [...ids.filter((id) => id !== 'c'), 'bare', 'by-hand', 'other-repo'].sort();
    expect(held(port)).toEqual(kept);
    // And again: nothing flaps (the bare target is neither deleted nor recreated).
    const again = await runCli(['sync', '--all', '--prune', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect((JSON.parse(again.stdout) as Report).summary.deleted).toBe(0);
    expect(held(port)).toEqual(kept);
  });

  it('is refused without a provenance property: nothing else can tell what this repository wrote', async () => {
    const repo = repoWith(['a'], { 'port-gitops.config.json': '{}' });
    const port = await portWithBlueprints({ record: true });
    const refused = await runCli(['sync', '--all', '--prune'], { cwd: repo, env: syncEnv(port.url) });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('the config sets no "provenance": nothing was pushed');
    expect(
      port.exchanges.filter((e) => e.method !== 'GET' && !e.route.includes('/search') && !e.route.includes('/auth/')),
    ).toEqual([]);
  });

  it('refuses to delete more than 20% of a blueprint without --force, before writing anything', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const repo = repoWith(ids);
    const port = await portWithBlueprints({ record: true });
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
    const port = await portWithBlueprints();
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
