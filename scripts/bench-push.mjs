// Push benchmarks (part of `npm run bench`; issue: pushing at scale).
//
// 1. A full sync of the synthetic monorepo's 10,000 entities into the emulator with 20 ms latency:
//    wall time, requests, peak memory. Side by side, the method of Port's custom GitOps guide: one
//    POST per file, serially, as a CI loop of curl calls does. That one is timed on a sample of files
//    and extrapolated linearly: each file costs the same, one request after the other.
// 2. The same sync under a storm: a rate limit, 5% 5xx answers, 1% dropped connections, tokens that
//    live 5 s. It passes when the emulator ends holding exactly the files' entities.
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

async function syncAll(cli, repo, emulatorOptions) {
  const emulator = await startEmulator({ port: 0, blueprintsDir: join(repo, '.port/blueprints'), ...emulatorOptions });
  const started = performance.now();
  const result = await run('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'sync', '--all', '--format', 'json'], {
    cwd: repo,
    env: { ...process.env, ...credentials, PORT_BASE_URL: emulator.url },
  });
  const ms = performance.now() - started;
  const report = JSON.parse(result.stdout);
  const peakMb = Number(result.stderr.trim().split('\n').pop()) / 1024;
  const held = new Set(emulator.store.all().map((e) => `${e.blueprint}/${e.identifier}`));
  const stats = structuredClone(emulator.stats);
  await emulator.close();
  return { ms, peakMb, code: result.code, report, held, stats };
}

/** The guide's loop: for each file, one curl POST of its entity, one after the other. */
async function serialCurl(repo, files, latencyMs) {
  const emulator = await startEmulator({ port: 0, blueprintsDir: join(repo, '.port/blueprints'), latencyMs });
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
  return ratio >= 50 && lost.length === 0 && extra.length === 0 && storm.code === 0;
}
