import { spawn } from 'node:child_process';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { CLI, emulator, makeRepo, syncEnv } from './helpers.js';

describe('sync interrupted by SIGINT', () => {
  it('stops sending, lets requests in flight finish, reports what was not pushed, and exits 2', async () => {
    const entities = Array.from({ length: 400 }, (_, i) => `- {identifier: d${String(i).padStart(3, '0')}, blueprint: domain}`).join('\n');
    const repo = makeRepo({ 'domains/port.yml': entities });
    const port = await emulator({ latencyMs: 300 });
    const child = spawn(process.execPath, [CLI, 'sync', '--all', '--concurrency', '2', '--format', 'json'], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', ...syncEnv(port.url) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Interrupt once a few batches have landed (the token, then 20 bulk requests at 2 at a time).
    while (port.stats.requests < 4) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(2);

    const report = JSON.parse(stdout) as Report;
    const ok = report.entities.filter((e) => e.result === 'ok').map((e) => e.identifier);
    const notSent = report.entities.filter((e) => e.error?.code === 'interrupted');
    expect(ok.length).toBeGreaterThan(0);
    expect(notSent.length).toBeGreaterThan(0);
    expect(ok.length + notSent.length).toBe(400);
    // Exactly what the report calls pushed is in Port: the requests in flight were let finish.
    expect(port.store.all().map((e) => e.identifier).sort()).toEqual(ok.sort());
    expect(stderr).toContain('SIGINT: no new requests');
    expect(stderr).toContain(`interrupted: ${notSent.length} entities were not pushed`);
  });
});
