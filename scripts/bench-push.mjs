// Push benchmarks (part of `npm run bench`; issue: pushing at scale).
//
// 1. A full sync of the synthetic monorepo's 10,000 entities into the emulator with 20 ms latency:
//    wall time, requests, peak memory. Side by side, the method of Port's custom GitOps guide: one
//    POST per file, serially, as a CI loop of curl calls does. That one is timed on a sample of files
//    and extrapolated linearly: each file costs the same, one request after the other.
// 2. The same sync under a storm: a rate limit, 5% 5xx answers, 1% dropped connections, tokens that
//    live 5 s. It passes when the emulator ends holding exactly the files' entities.
// 3. A 5% 503 storm under Port's own rate limits (x-ratelimit-* on every answer, 5-minute windows)
//    against the same storm with no rate-limit headers at all: a 5xx is retried after a short backoff,
//    never after the window's reset, so the first must take at most twice the second, losing nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@port-gitops/emulator';
import { parse as parseYaml } from 'yaml';

const credentials = { PORT_CLIENT_ID: 'bench', PORT_CLIENT_SECRET: 'bench-secret' };

/** Runs a command to its end without blocking this process's event loop (the emulator lives here). */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The repository's teams snapshot: the emulator has the teams its entities name, as Port would. */
const teamsOf = (repo) =>
  JSON.parse(readFileSync(join(repo, '.port/teams.json'), 'utf8')).teams.map((team) => team.identifier);

async function syncAll(cli, repo, emulatorOptions) {
  const emulator = await startEmulator({
    port: 0,
    blueprintsDir: join(repo, '.port/blueprints'),
    teams: teamsOf(repo),
    ...emulatorOptions,
  });
  const started = performance.now();
  const result = await run('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'sync', '--all', '--format', 'json'], {
    cwd: repo,
    env: { ...process.env, ...credentials, PORT_BASE_URL: emulator.url },
  });
  const ms = performance.now() - started;
  const report = JSON.parse(result.stdout);
  const peakMb = Number(result.stderr.trim().split('\n').pop()) / 1024;
  const held = new Set(emulator.store.entities().map((e) => `${e.blueprint}/${e.identifier}`));
  const stats = structuredClone(emulator.stats);
  await emulator.close();
  return { ms, peakMb, code: result.code, report, held, stats };
}

/** The guide's loop: for each file, one curl POST of its entity, one after the other. */
async function serialCurl(repo, files, latencyMs) {
  const emulator = await startEmulator({
    port: 0,
    blueprintsDir: join(repo, '.port/blueprints'),
    teams: teamsOf(repo),
    latencyMs,
  });
  const bodies = join(repo, '..', 'curl-bodies');
  rmSync(bodies, { recursive: true, force: true });
  mkdirSync(bodies, { recursive: true });
  // Prepared ahead (not timed): the guide's files are JSON already.
  const prepared = files.map((file, i) => {
    const { blueprint, ...entity } = parseYaml(readFileSync(join(repo, file), 'utf8'));
    const path = join(bodies, `${i}.json`);
    writeFileSync(path, JSON.stringify(entity));
    return { blueprint, path };
  });
  const token = (
    await (
      await fetch(`${emulator.url}/v1/auth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'bench', clientSecret: 'bench-secret' }),
      })
    ).json()
  ).accessToken;
  const started = performance.now();
  for (const { blueprint, path } of prepared) {
    const result = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      `${emulator.url}/v1/blueprints/${blueprint}/entities?upsert=true&merge=true&create_missing_related_entities=true`,
      '-H',
      `Authorization: Bearer ${token}`,
      '-H',
      'Content-Type: application/json',
      '--data',
      `@${path}`,
    ]);
    if (result.stdout !== '201') throw new Error(`curl got ${result.stdout} for ${path}`);
  }
  const ms = performance.now() - started;
  await emulator.close();
  rmSync(bodies, { recursive: true, force: true });
  return ms;
}

export async function benchPush({ cli, repo, entityFiles, serialSample }) {
  console.log(`\npush: ${entityFiles.length} entities, emulator latency 20 ms`);
  const ours = await syncAll(cli, repo, { latencyMs: 20 });
  if (ours.code !== 0 || ours.held.size !== entityFiles.length)
    throw new Error(`sync --all exited ${ours.code} and left ${ours.held.size} entities`);
  console.log(
    `${'sync --all'.padEnd(28)} ${(ours.ms / 1000).toFixed(2)} s  ${ours.stats.requests} requests  peak ${ours.peakMb.toFixed(0)} MB  (${ours.report.summary.upserted} upserted)`,
  );

  const sample = entityFiles.slice(0, serialSample);
  const serialMs = await serialCurl(repo, sample, 20);
  const extrapolated = (serialMs / sample.length) * entityFiles.length;
  console.log(
    `${'one curl POST per file'.padEnd(28)} ${(serialMs / 1000).toFixed(2)} s for ${sample.length} files → ${(extrapolated / 1000).toFixed(0)} s for ${entityFiles.length} (${entityFiles.length} requests)`,
  );
  const ratio = extrapolated / ours.ms;
  console.log(
    `${'speed-up'.padEnd(28)} ${ratio.toFixed(0)}x  (target: at least 50x) ${ratio >= 50 ? 'OK' : 'UNDER TARGET'}`,
  );

  console.log(
    '\npush under a storm: rate limit 50 requests/s, 5% 503, 1% dropped connections, tokens of 5 s, 20 ms latency',
  );
  const storm = await syncAll(cli, repo, {
    latencyMs: 20,
    rateLimit: { requests: 50, windowSeconds: 1 },
    errorRate: 0.05,
    resetRate: 0.01,
    tokenTtlSeconds: 5,
    seed: 1,
  });
  const expected = new Set(
    entityFiles.map((file) => `service/${parseYaml(readFileSync(join(repo, file), 'utf8')).identifier}`),
  );
  const lost = [...expected].filter((key) => !storm.held.has(key));
  const extra = [...storm.held].filter((key) => !expected.has(key));
  console.log(
    `${'sync --all (storm)'.padEnd(28)} ${(storm.ms / 1000).toFixed(2)} s  exit ${storm.code}  answers ${JSON.stringify(storm.stats.byStatus)}  (0 = dropped)`,
  );
  console.log(
    `${'entities lost / extra'.padEnd(28)} ${lost.length} / ${extra.length}  ${lost.length === 0 && extra.length === 0 && storm.code === 0 ? 'OK' : 'FAILED'}`,
  );
  const stormOk = lost.length === 0 && extra.length === 0 && storm.code === 0;

  console.log(
    "\n5% 503 storm, 20 ms latency: under Port's rate limits (headers on every answer, 5-minute windows) and without",
  );
  const faults = { latencyMs: 20, errorRate: 0.05, seed: 2 };
  const withHeaders = await syncAll(cli, repo, faults);
  const withoutHeaders = await syncAll(cli, repo, { ...faults, rateLimit: false });
  const kept = (run) =>
    [...expected].filter((key) => run.held.has(key)).length === expected.size && run.held.size === expected.size;
  for (const [label, run] of [
    ["Port's windows (300 s)", withHeaders],
    ['no rate-limit headers', withoutHeaders],
  ]) {
    console.log(
      `${label.padEnd(28)} ${(run.ms / 1000).toFixed(2)} s  exit ${run.code}  ${run.stats.byStatus[503] ?? 0} answers 503  entities ${kept(run) ? 'all kept' : 'LOST'}`,
    );
  }
  const windowRatio = withHeaders.ms / withoutHeaders.ms;
  const windowOk = windowRatio <= 2 && kept(withHeaders) && kept(withoutHeaders) && withHeaders.code === 0;
  console.log(
    `${"Port's windows / none".padEnd(28)} ${windowRatio.toFixed(2)}×  (target: at most 2×) ${windowOk ? 'OK' : 'FAILED'}`,
  );
  return ratio >= 50 && stormOk && windowOk;
}
