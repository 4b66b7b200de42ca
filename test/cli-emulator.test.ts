import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI, EXAMPLE, EXAMPLE_BLUEPRINTS, REPO_ROOT, makeDir, runCli } from './helpers.js';

describe('port-gitops emulator', () => {
  it('prints where it listens as its first line, serves the blueprints, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'emulator',
        '--port',
        '0',
        '--blueprints',
        EXAMPLE_BLUEPRINTS,
        '--teams',
        join(EXAMPLE, '.port/teams.json'),
        '--rate-limit',
        '1000/60',
        '--decide',
        'requiredOnExisting=refuse',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = firstLine.slice('listening on '.length);
    const token = (await (
      await fetch(`${url}/v1/auth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"clientId":"a","clientSecret":"b"}',
      })
    ).json()) as { accessToken: string };
    const answer = await fetch(`${url}/v1/blueprints/service`, {
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ratelimit-limit')).toBe('1000');
    const teams = (await (
      await fetch(`${url}/v1/blueprints/_team/entities`, { headers: { authorization: `Bearer ${token.accessToken}` } })
    ).json()) as { entities: Array<{ identifier: string }> };
    expect(teams.entities.map((t) => t.identifier).sort()).toEqual(['payments', 'platform', 'search', 'security']);
    // --decide: a property made required while teams lack it is refused, as asked.
    const required = await fetch(`${url}/v1/blueprints/_team`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { properties: { lead: { type: 'string' } }, required: ['lead'] } }),
    });
    expect(required.status).toBe(422);
    expect(((await required.json()) as { error: string }).error).toBe('blueprint_schema_mismatch');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a non-loopback host and a malformed fault flag with exit 3', async () => {
    const host = await runCli(['emulator', '--host', '0.0.0.0'], { cwd: REPO_ROOT });
    expect(host.code).toBe(3);
    expect(host.stderr).toContain('loopback only');
    const rate = await runCli(['emulator', '--rate-limit', 'lots'], { cwd: REPO_ROOT });
    expect(rate.code).toBe(3);
    expect(rate.stderr).toContain('--rate-limit takes N/SECONDS');
    const decide = await runCli(['emulator', '--decide', 'requiredOnExisting=maybe'], { cwd: REPO_ROOT });
    expect(decide.code).toBe(3);
    expect(decide.stderr).toContain('--decide takes NAME=CHOICE, not "requiredOnExisting=maybe"');
    expect(decide.stderr).toContain('requiredOnExisting=accept|refuse');
    const extra = await runCli(['emulator', '--decide', 'requiredOnExisting=refuse=yes'], { cwd: REPO_ROOT });
    expect(extra.code).toBe(3);
  });

  it('refuses to start, with exit 3, when a relation targets a blueprint it was not given', async () => {
    const dir = makeDir({ 'service.json': readFileSync(join(EXAMPLE_BLUEPRINTS, 'service.json'), 'utf8') });
    const run = await runCli(['emulator', '--port', '0', '--blueprints', dir], { cwd: REPO_ROOT });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /error: blueprint "service" has a relation "\w+" to blueprint "\w+", which the emulator was not given/,
    );
  });
});
