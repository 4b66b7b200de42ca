// Push benchmarks (part of `npm run bench`).
//
// 1. A full sync of a synthetic monorepo's entities into the emulator with 20 ms latency:
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
  // The Node binary bench.mjs times every run with (BENCH_NODE).
  const node = process.env.BENCH_NODE ?? process.execPath;
  const result = await run('/usr/bin/time', ['-f', '%M', node, cli, 'sync', '--all', '--format', 'json'], {
    cwd: repo,
    env: { ...process.env, ...credentials, PORT_BASE_URL: emulator.url, PORT_GITOPS_TIMINGS: '1' },
  });
  const ms = performance.now() - started;
  const report = JSON.parse(result.stdout);
  const peakMb = Number(result.stderr.trim().split('\n').pop()) / 1024;
  const held = new Set(emulator.store.entities().map((e) => `${e.blueprint}/${e.identifier}`));
  const timings = Object.fromEntries(
    [...result.stderr.matchAll(/^timing: (.+?) (\d+) ms(?: \(memory \d+ MB\))?$/gm)].map((m) => [m[1], Number(m[2])]),
  );
  const stats = structuredClone(emulator.stats);
  await emulator.close();
  return { ms, peakMb, code: result.code, report, held, stats, timings };
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

/** The entities a repository's files define, as `blueprint/identifier`. */
function entitiesOf(repo, entityFiles) {
  return new Set(
    entityFiles.map((file) => {
      const entity = parseYaml(readFileSync(join(repo, file), 'utf8'));
      return `${entity.blueprint}/${entity.identifier}`;
    }),
  );
}

/**
 * A full sync at 20 ms latency (the median of `runs`) against the guide's method, one curl POST per file (a sample, extrapolated:
 * each file costs the same, one request after the other), and the push phase against its ideal, the
 * requests times the latency over the requests in flight. Returns the figures; `report` records them.
 */
export async function benchPush({ cli, repo, entityFiles, serialSample, report, runs = 5 }) {
  console.log(`
push: ${entityFiles.length} entities, emulator latency 20 ms`);
  // The median of `runs` syncs, each into a fresh emulator, after one to warm the file system cache.
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const run = await syncAll(cli, repo, { latencyMs: 20 });
    if (run.code !== 0 || run.held.size !== entityFiles.length)
      throw new Error(`sync --all exited ${run.code} and left ${run.held.size} entities`);
    if (i > 0) samples.push(run);
  }
  samples.sort((a, b) => a.ms - b.ms);
  const ours = samples[Math.floor(samples.length / 2)];
  const writes = ours.stats.requests - 1; // the token request aside
  const idealMs = (writes * 20) / 8;
  console.log(
    `${'sync --all'.padEnd(30)} ${(ours.ms / 1000).toFixed(2)} s  ${ours.stats.requests} requests  push phase ${ours.timings.push} ms (ideal ${idealMs.toFixed(0)} ms: ${writes} × 20 ms / 8)  peak ${ours.peakMb.toFixed(0)} MB`,
  );
  const sample = entityFiles.slice(0, serialSample);
  const serialMs = await serialCurl(repo, sample, 20);
  const extrapolated = (serialMs / sample.length) * entityFiles.length;
  console.log(
    `${'one curl POST per file'.padEnd(30)} ${(serialMs / 1000).toFixed(2)} s for ${sample.length} files → ${(extrapolated / 1000).toFixed(1)} s for ${entityFiles.length}`,
  );
  const speedUp = extrapolated / ours.ms;
  report({
    what: `\`sync --all\`, ${entityFiles.length.toLocaleString('en-US')} entities, 20 ms latency`,
    figure: `${(ours.ms / 1000).toFixed(2)} s, ${ours.peakMb.toFixed(0)} MB`,
    floor: `one curl POST per file: ${(extrapolated / 1000).toFixed(0)} s`,
    ratio: `${speedUp.toFixed(0)}× faster`,
    target: '≥ 60×',
    ok: speedUp >= 60,
  });
  const pushRatio = ours.timings.push / idealMs;
  report({
    what: 'its push phase',
    figure: `${ours.timings.push} ms`,
    floor: `${writes} requests × 20 ms / 8: ${idealMs.toFixed(0)} ms`,
    ratio: `${pushRatio.toFixed(2)}×`,
    target: '≤ 1.5×',
    ok: pushRatio <= 1.5,
  });

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
  const expected = entitiesOf(repo, entityFiles);
  const lost = [...expected].filter((key) => !storm.held.has(key));
  const extra = [...storm.held].filter((key) => !expected.has(key));
  const stormOk = lost.length === 0 && extra.length === 0 && storm.code === 0;
  console.log(
    `${'sync --all (storm)'.padEnd(30)} ${(storm.ms / 1000).toFixed(2)} s  exit ${storm.code}  answers ${JSON.stringify(storm.stats.byStatus)}  lost ${lost.length}, extra ${extra.length}`,
  );
  report({
    what: '`sync --all` under a storm (50 requests/s, 5% 503, 1% dropped, 5 s tokens)',
    figure: `${(storm.ms / 1000).toFixed(1)} s, exit ${storm.code}`,
    floor: '',
    ratio: `${lost.length} lost, ${extra.length} extra`,
    target: 'nothing lost',
    ok: stormOk,
  });

  console.log(
    "\n5% 503 storm, 20 ms latency: under Port's rate limits (headers on every answer, 5-minute windows) and without",
  );
  const faults = { latencyMs: 20, errorRate: 0.05, seed: 2 };
  const withHeaders = await syncAll(cli, repo, faults);
  const withoutHeaders = await syncAll(cli, repo, { ...faults, rateLimit: false });
  const kept = (run) =>
    [...expected].filter((key) => run.held.has(key)).length === expected.size && run.held.size === expected.size;
  const windowRatio = withHeaders.ms / withoutHeaders.ms;
  const windowOk = windowRatio <= 2 && kept(withHeaders) && kept(withoutHeaders) && withHeaders.code === 0;
  console.log(
    `${'with / without headers'.padEnd(30)} ${(withHeaders.ms / 1000).toFixed(2)} s / ${(withoutHeaders.ms / 1000).toFixed(2)} s`,
  );
  report({
    what: "5% 503 storm under Port's 5-minute rate-limit windows",
    figure: `${(withHeaders.ms / 1000).toFixed(2)} s`,
    floor: `without rate-limit headers: ${(withoutHeaders.ms / 1000).toFixed(2)} s`,
    ratio: `${windowRatio.toFixed(2)}×, ${kept(withHeaders) ? 'nothing lost' : 'LOST'}`,
    target: '≤ 2×, nothing lost',
    ok: windowOk,
  });
}

/** A full sync at 20 ms latency: time, peak memory and requests, for the scale table. */
export async function syncFigures(cli, repo) {
  const run = await syncAll(cli, repo, { latencyMs: 20 });
  if (run.code !== 0) throw new Error(`sync --all exited ${run.code}`);
  return { ms: run.ms, peakMb: run.peakMb, requests: run.stats.requests };
}
