import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { apiGet, emulator, git, makeRepo, runCli, syncEnv } from './helpers.js';

describe('provenance (config "provenance")', () => {
  it('writes the file, commit and repository of each entity into the named object property, which plan and --skip-unchanged ignore', async () => {
    const repo = makeRepo({
      'port-gitops.config.json': '{"provenance": {"property": "gitopsMetadata"}}',
      'svc/port.yml': 'identifier: api\nblueprint: svc\nproperties:\n  tier: 1\n',
    });
    git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/catalog.git');
    const port = await emulator({
      blueprints: [
        { identifier: 'svc', schema: { properties: { tier: { type: 'number' }, gitopsMetadata: { type: 'object' } } } },
      ],
      record: true,
    });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    const entity = (
      await apiGet<{ entity: { properties: Record<string, unknown> } }>(port.url, '/v1/blueprints/svc/entities/api')
    ).body.entity;
    expect(entity.properties).toEqual({
      tier: 1,
      gitopsMetadata: {
        path: 'svc/port.yml',
        commit: git(repo, 'rev-parse', 'HEAD').trim(),
        repository: 'github.com/acme/catalog',
      },
    });

    git(repo, 'commit', '-q', '--allow-empty', '-m', 'a later commit');
    const from = port.exchanges.length;
    const again = await runCli(['sync', '--all', '--skip-unchanged', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect((JSON.parse(again.stdout) as Report).summary).toMatchObject({ upserted: 0, unchanged: 1 });
    expect(port.exchanges.slice(from).filter((e) => e.route.endsWith('/bulk'))).toEqual([]);
  });
});
