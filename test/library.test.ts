import { type RunEvent, check, exitCodeOf, plan, sync } from '@port-gitops/core';
import { PortClient } from '@port-gitops/port-client';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_BLUEPRINTS, emulator, git, makeRepo, writeFiles } from './helpers.js';

const blueprint = { '.port/blueprints/service.json': readFileSync(join(EXAMPLE_BLUEPRINTS, 'service.json'), 'utf8') };

const service = (id: string, language = 'go') =>
  `identifier: ${id}\nblueprint: service\ntitle: ${id}\nproperties:\n  language: ${language}\n  lifecycle: production\n`;

/** port-gitops embedded in a program: core's run with a PortClient, in this process, no child process. */
describe('the run as a library', () => {
  it('syncs a repository into the emulator in-process, with events, and reports what it did', async () => {
    const port = await emulator();
    const repo = makeRepo({ 'a/port.yml': service('a'), 'b/port.yml': service('b'), 'c/port.yml': 'identifier: [' });
    const events: RunEvent[] = [];
    const connect = ({ repositoryId }: { repositoryId: string }) =>
      new PortClient({
        baseUrl: port.url,
        credentials: { clientId: 'lib', clientSecret: 'lib-secret' },
        userAgent: `embedder/1 (repo/${repositoryId})`,
      });

    const report = await sync({ cwd: repo, select: { kind: 'all' }, onEvent: (e) => events.push(e) }, connect);

    expect(report.summary).toMatchObject({ files: 3, upserted: 2, failed: 0, invalid: 1 });
    expect(exitCodeOf(report)).toBe(1);
    expect(
      port.store
        .entities()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(events.filter((e) => e.type === 'timing').map((e) => e.type === 'timing' && e.stage)).toContain('load');
    expect(events).toContainEqual({ type: 'push-start', total: 2 });

    // Read back against Port: a is as the file says, b's language changed.
    writeFiles(repo, { 'b/port.yml': service('b', 'rust') });
    git(repo, 'commit', '-qam', 'b changes');
    const planned = await plan({ cwd: repo, select: { kind: 'all' } }, connect);
    expect(planned.entities.filter((e) => e.change).map((e) => `${e.identifier} ${e.change}`)).toEqual([
      'a unchanged',
      'b update',
    ]);
  });

  it('checks without any Port connector, and refuses a remote check without one', async () => {
    const repo = makeRepo({ ...blueprint, 'a/port.yml': service('a', 'cobol') });
    const report = await check({ cwd: repo, select: { kind: 'all' } });
    expect(report.errors.map((e) => `${e.line}:${e.column} ${e.rule}`)).toEqual(['5:13 blueprint service: enum']);
    await expect(check({ cwd: repo, select: { kind: 'all' }, remote: true })).rejects.toThrow(/connector/);
  });
});
