import { spawn } from 'node:child_process';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { CLI, emulator, exampleBlueprints, makeRepo, runCli, syncEnv } from './helpers.js';

describe('sync interrupted by SIGINT', () => {
  it('stops sending, lets requests in flight finish, reports what was not pushed, and exits 2', async () => {
    const entities = Array.from(
      { length: 400 },
      (_, i) => `- {identifier: d${String(i).padStart(3, '0')}, blueprint: domain}`,
    ).join('\n');
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
    expect(
      port.store
        .entities()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(ok.sort());
    expect(stderr).toContain('SIGINT: no new requests');
    expect(stderr).toContain(`interrupted: ${notSent.length} entities were not pushed`);
  });
});

describe('progress on long pushes', () => {
  it('prints a progress line now and then in CI logs, and nothing extra with --format json or --no-progress', async () => {
    const entities = Array.from({ length: 200 }, (_, i) => `- {identifier: p${i}, blueprint: domain}`).join('\n');
    const repo = makeRepo({ 'domains/port.yml': entities });
    const port = await emulator({ latencyMs: 100 });
    const env = { ...syncEnv(port.url), PORT_GITOPS_PROGRESS_MS: '150' };
    const text = await runCli(['sync', '--all', '--concurrency', '1'], { cwd: repo, env });
    expect(text.code).toBe(0);
    const lines = text.stderr.split('\n').filter((line) => line.startsWith('progress: '));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.at(-1)).toMatch(/^progress: \d+\/200 entities · \d+\/s · 0 failed$/);
    const json = await runCli(['sync', '--all', '--concurrency', '1', '--format', 'json'], { cwd: repo, env });
    expect(json.stderr).toBe('');
    const quiet = await runCli(['sync', '--all', '--concurrency', '1', '--no-progress'], { cwd: repo, env });
    expect(quiet.stderr).toBe('');
  });
});

describe('on a terminal', () => {
  it('draws a progress bar in place, clears it, and colours the summary (a pseudo-terminal from `script`)', async () => {
    const entities = Array.from({ length: 200 }, (_, i) => `- {identifier: t${i}, blueprint: domain}`).join('\n');
    const repo = makeRepo({ ...exampleBlueprints(), 'domains/port.yml': entities });
    const port = await emulator({ latencyMs: 60 });
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI} sync --all --concurrency 1`, '/dev/null'], {
      cwd: repo,
      env: { ...process.env, ...syncEnv(port.url), NO_COLOR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (chunk) => (screen += chunk));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    expect(screen).toMatch(/\r\[=+ *\] \d+\/200 entities · \d+\/s · 0 failed\u001b\[K/);
    expect(screen).toContain('\r[==============================] 200/200 entities');
    expect(screen).toContain('\r\u001b[Ksync (all files)');
    expect(screen).toContain('\u001b[32m200 upserted\u001b[0m');
  });
});
