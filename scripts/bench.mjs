// Benchmarks (`npm run bench`). Each prints its figures and the command that reproduces them.
//
// selection: `check --all` against `check --base HEAD~1` on a synthetic monorepo of 200,000 files
// with 10,000 entity files whose last commit changed 10 of them (issue: changed-only selection must
// take under 25% of a full check). Also the time git itself takes to list and read the entity files.
//
// push: see scripts/bench-push.mjs (full sync at 20 ms latency against one curl POST per file, and
// a sync under a storm of faults that must lose nothing).
//
// backstage: `check --all` of a Backstage catalog (BENCH_SERVICES catalog-info.yaml files, each a
// Component and its API with a $text description, through the default mapping) against the same
// entities written as port.yml files: what reading Backstage files costs on top.
//
// Options (environment): BENCH_ONLY (selection|push|backstage), BENCH_FILES, BENCH_ENTITIES,
// BENCH_CHANGED, BENCH_RUNS, BENCH_SERIAL_SAMPLE (files posted one by one for the baseline, default
// 500), BENCH_SERVICES (default 5,000).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchPush } from './bench-push.mjs';
import { generateBackstageCatalogs } from './generate-backstage.mjs';
import { generateMonorepo } from './generate-monorepo.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}packages/cli/dist/port-gitops.mjs`;
const files = Number(process.env.BENCH_FILES ?? 200_000);
const entities = Number(process.env.BENCH_ENTITIES ?? 10_000);
const changed = Number(process.env.BENCH_CHANGED ?? 10);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const only = process.env.BENCH_ONLY;
const services = Number(process.env.BENCH_SERVICES ?? 5_000);
const repo = `${root}.bench/monorepo-${files}-${entities}-${changed}`;

if (only !== 'backstage') {
  console.log(`synthetic monorepo: ${files} files, ${entities} entity files, last commit changes ${changed} (${repo})`);
  const generatedAt = performance.now();
  generateMonorepo({ out: repo, files, entities, changed });
  console.log(`ready in ${((performance.now() - generatedAt) / 1000).toFixed(1)} s\n`);
  // Let the writes of a fresh generation reach the disk before anything is timed.
  spawnSync('sync');
}

/** Wall time and peak memory of one run, through GNU time when present. */
function measure(args, cwd = repo) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`port-gitops ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const peakKb = Number(result.stderr.trim().split('\n').pop());
  return { ms, peakMb: peakKb / 1024, summary: result.stdout.trim().split('\n').pop() };
}

function bench(label, args, cwd = repo) {
  measure(args, cwd); // warm the file system cache
  const samples = Array.from({ length: runs }, () => measure(args, cwd));
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const peak = Math.max(...samples.map((s) => s.peakMb));
  console.log(
    `${label.padEnd(28)} median ${(median / 1000).toFixed(2)} s  (min ${(times[0] / 1000).toFixed(2)}, max ${(times.at(-1) / 1000).toFixed(2)}, ${runs} runs)  peak ${peak.toFixed(0)} MB`,
  );
  console.log(`${''.padEnd(28)} ${samples[0].summary}`);
  return median;
}

/** git listing the entity files from its index and reading their blobs: the floor for a full check. */
function gitBaseline() {
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const list = execFileSync('git', ['ls-files', '-s', '-z', '--', ':(glob)**/port.yml'], {
      cwd: repo,
      maxBuffer: 1 << 30,
    });
    const blobs = list
      .toString()
      .split('\0')
      .filter(Boolean)
      .map((line) => line.split(' ')[1]);
    execFileSync('git', ['cat-file', '--batch'], { cwd: repo, input: `${blobs.join('\n')}\n`, maxBuffer: 1 << 30 });
  }
  return (performance.now() - started) / runs;
}

let ok = true;
if (!only || only === 'selection') {
  const all = bench('check --all', ['check', '--all']);
  const base = bench('check --base HEAD~1', ['check', '--base', 'HEAD~1']);
  const git = gitBaseline();
  console.log(
    `${'git: list + read entity files'.padEnd(28)} mean ${(git / 1000).toFixed(2)} s  (git ls-files + git cat-file --batch)`,
  );
  const ratio = base / all;
  console.log(
    `\n--base / --all = ${(ratio * 100).toFixed(1)}%  (target: under 25%) ${ratio < 0.25 ? 'OK' : 'OVER TARGET'}`,
  );
  ok &&= ratio < 0.25;
}
if (!only || only === 'push') {
  const entityFiles = execFileSync('git', ['ls-files', '-z', '--', ':(glob)**/port.yml'], {
    cwd: repo,
    maxBuffer: 1 << 30,
  })
    .toString()
    .split('\0')
    .filter(Boolean);
  ok &&= await benchPush({ cli, repo, entityFiles, serialSample: Number(process.env.BENCH_SERIAL_SAMPLE ?? 500) });
}
if (!only || only === 'backstage') {
  const catalogs = `${root}.bench/backstage-${services}`;
  console.log(
    `\nBackstage catalog: ${services} catalog-info.yaml files (Component + API, $text description) and an org file; the same entities as port.yml (${catalogs})`,
  );
  generateBackstageCatalogs({ out: catalogs, services });
  spawnSync('sync');
  const backstage = bench('check --all (Backstage)', ['check', '--all'], `${catalogs}/backstage`);
  const native = bench('check --all (port.yml)', ['check', '--all'], `${catalogs}/native`);
  console.log(`\nBackstage / port.yml = ${(backstage / native).toFixed(2)}×`);
}
console.log(
  `\nreproduce: npm run bench  (BENCH_FILES=${files} BENCH_ENTITIES=${entities} BENCH_CHANGED=${changed} BENCH_SERVICES=${services} BENCH_RUNS=${runs})`,
);
process.exitCode = ok ? 0 : 1;
