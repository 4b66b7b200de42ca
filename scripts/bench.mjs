// Benchmarks (`npm run bench`): each figure beside its floor or baseline, measured in the same run, with
// the target it is held to. Prints a table, writes it to .bench/results.md, and with BENCH_UPDATE_DOCS=1
// into docs/benchmarks.md (between its bench markers). Exits 1 when a target is missed.
//
// Parts (BENCH_ONLY=selection|startup|push|scale|warnings|backstage|mappings runs one):
// - selection: a synthetic monorepo of 200,000 files with 10,000 entity files (scripts/generate-monorepo.mjs).
//   `check --all` against the floor (listing the entity files from git's index and reading them while git
//   walks the work tree for untracked files: scripts/bench-floor.mjs --untracked); `check --base` for each shape of change (edited properties, a new service
//   relating to a system 1, 100, 1,000 or 8,000 services relate to or to four entities at once, a runbook
//   many files pull in, a deleted service another relates to, a system 1,000 relate to deleted or
//   renamed, a renamed folder of 20 entity files, source files edited and no entity file, a new service
//   with its source files, a service deleted with its folder) against its floor: Node, the range's diff and one
//   git grep for the names the change adds or removes (bench-floor.mjs --range, change-names.mjs); beside
//   it, the least a check built on the same libraries does for that change (bench-libraries.mjs).
// - startup: `--version` against `node -e 0`, and `check` of one named file (as a pre-commit hook runs
//   it) against its floor: Node with the git calls any such check makes (bench-floor.mjs <file>).
// - push: `sync --all` of 2,000 entities at 20 ms latency against one curl POST per file, its push phase
//   against requests × latency / concurrency, and storms (scripts/bench-push.mjs).
// - scale: 1,000, 10,000 and 50,000 entity files (5 files each): `check --all`, `check --base`, `sync --all`.
// - warnings: 10,000 files with 25,000 relations to entities no file defines: the share of placing them,
//   and the JUnit report of them against none.
// - backstage: a Backstage catalog against the same entities as port.yml files.
// - mappings: 10,000 package.json files through a file-kind mapping against the same entities as port.json.
// - foreign (only with BENCH_FOREIGN=<a git repository>): a shape this project did not generate, a real
//   repository's tree and history with a port.yml beside each package.json (scripts/generate-foreign.mjs),
//   once as it is and once eight times over: `check --all` against the floors, `check --base` of its
//   last 30 commits against its floor.
//
// Options (environment): BENCH_ONLY, BENCH_FOREIGN (and BENCH_FOREIGN_NAME), BENCH_RUNS (default 5; medians), BENCH_SERIAL_SAMPLE (files posted one by
// one for the curl baseline, default 200), BENCH_SERVICES (Backstage, default 5,000), BENCH_UPDATE_DOCS, BENCH_NODE
// (the Node binary every timed run uses, floors included; default the one running the bench).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../packages/cli/scripts/bundle-options.mjs';
import { benchPush, syncFigures } from './bench-push.mjs';
import { namesOfChange } from './change-names.mjs';
import { generateBackstageCatalogs } from './generate-backstage.mjs';
import { generateForeign } from './generate-foreign.mjs';
import { generateMonorepo } from './generate-monorepo.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}packages/cli/dist/port-gitops.mjs`;
const floorScript = `${root}scripts/bench-floor.mjs`;
// The least a check built on port-gitops' libraries does (bench-libraries.mjs), bundled as the CLI is.
const librariesFloor = `${root}.bench/libraries-floor.mjs`;
await build({ ...bundleOptions(), entryPoints: [`${root}scripts/bench-libraries.mjs`], outfile: librariesFloor });
const runs = Number(process.env.BENCH_RUNS ?? 5);
const only = process.env.BENCH_ONLY;
// Every timed Node process, port-gitops and its floors alike, runs on this binary: a ratio compares runs of
// one runtime. BENCH_NODE measures another one (the Action's node24, say) with the same scripts.
const timedNode = process.env.BENCH_NODE ?? process.execPath;
const timedNodeVersion = execFileSync(timedNode, ['--version'], { encoding: 'utf8' }).trim();
const services = Number(process.env.BENCH_SERVICES ?? 5_000);
const serialSample = Number(process.env.BENCH_SERIAL_SAMPLE ?? 200);
const part = (name) => !only || only === name;

/** The table: one row per figure, with what it is held to. */
const rows = [];
let section = '';
function report(row) {
  rows.push({ section, ...row });
  console.log(
    `  → ${row.what}: ${row.figure} · ${row.floor} · ${row.ratio} (target ${row.target}) ${row.ok ? 'OK' : 'MISSED'}`,
  );
}

/** Wall time, peak memory and stage timings of one run, through GNU time. */
function measure(command, args, cwd) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PORT_GITOPS_TIMINGS: '1' },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const stderr = result.stderr.trim().split('\n');
  const timings = Object.fromEntries(
    [...result.stderr.matchAll(/^timing: (.+?) (\d+) ms(?: \(memory \d+ MB\))?$/gm)].map((m) => [m[1], Number(m[2])]),
  );
  return { ms, peakMb: Number(stderr.pop()) / 1024, summary: result.stdout.trim().split('\n').pop(), timings };
}

/** The median of `runs` runs after one to warm the file system cache; the peak memory of all. */
function bench(label, command, args, cwd, times = runs) {
  return inTurns([{ label, command, args, cwd }], times)[0];
}

/**
 * Commands measured in turns (a, b, c, a, b, c, ...), each the median of `times` runs after one to warm
 * the file system cache, with the peak memory of all. The machine's speed drifts over minutes (by a
 * fifth within the hour on a shared 2-core machine): two medians taken one block after the other carry
 * that drift into their ratio, so figures that are divided by each other are taken in turns.
 */
function inTurns(commands, times = runs) {
  for (const { command, args, cwd } of commands) measure(command, args, cwd);
  const samples = commands.map(() => []);
  for (let i = 0; i < times; i++) {
    for (const [k, { command, args, cwd }] of commands.entries()) samples[k].push(measure(command, args, cwd));
  }
  return commands.map(({ label }, k) => {
    const sorted = [...samples[k]].sort((a, b) => a.ms - b.ms);
    const median = sorted[Math.floor(sorted.length / 2)];
    const peakMb = Math.max(...samples[k].map((s) => s.peakMb));
    console.log(
      `${label.padEnd(40)} ${(median.ms / 1000).toFixed(3)} s  (min ${(sorted[0].ms / 1000).toFixed(3)}, max ${(sorted.at(-1).ms / 1000).toFixed(3)})  peak ${peakMb.toFixed(0)} MB`,
    );
    if (median.summary) console.log(`${''.padEnd(40)} ${median.summary}`);
    return { ...median, peakMb };
  });
}

/** One entry of `inTurns`: a run of Node, of port-gitops, or of git. */
const nodeRun = (label, args, cwd) => ({ label, command: timedNode, args, cwd });
const portGitopsRun = (args, cwd, label = `port-gitops ${args.join(' ')}`) => nodeRun(label, [cli, ...args], cwd);
const untrackedWalk = (cwd) => ({
  label: 'git ls-files --others (the untracked walk)',
  command: 'git',
  args: ['ls-files', '-z', '--others', '--directory', '--no-empty-directory', '--', '.'],
  cwd,
});

const node = (args, cwd, label, times) => bench(label, timedNode, args, cwd, times);
const portGitops = (args, cwd, label = `port-gitops ${args.join(' ')}`, times) =>
  node([cli, ...args], cwd, label, times);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30 }).toString();

function generated(name, options) {
  const out = `${root}.bench/${name}`;
  const started = performance.now();
  generateMonorepo({ out, ...options });
  console.log(`${out}: ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Let the writes of a fresh generation reach the disk before anything is timed.
  spawnSync('sync');
  return out;
}

if (part('selection')) {
  section = 'Selection: 10,000 entity files among 200,000 files';
  console.log(`\n${section}`);
  const repo = generated('monorepo-200000-10000', { files: 200_000, entities: 10_000, changed: 10 });
  reportFullCheck(repo);
  // Each shape's changed-only check against its floor: Node, the range's diff, and one search of the entity
  // files for the names the change adds or removes (scripts/change-names.mjs), when it has any.
  const shapes = [
    ['edits properties of 10 services', 'main'],
    ['adds a service relating to a system 8,000 services relate to', 'shape/new-service'],
    ['edits a runbook 200 services pull in (file://)', 'shape/runbook'],
    ['deletes a service another relates to', 'shape/delete'],
    ['renames a folder of 20 entity files', 'shape/rename'],
    ['adds a service relating to a system 1 service relates to', 'shape/target-1'],
    ['adds a service relating to a system 100 services relate to', 'shape/target-100'],
    ['adds a service relating to a system 1,000 services relate to', 'shape/target-1000'],
    ['adds a service relating to four entities other files define', 'shape/several-targets'],
    ['deletes a system 1,000 services relate to', 'shape/delete-popular'],
    ['renames a system 1,000 services relate to', 'shape/rename-popular'],
    ['edits source files of 10 services and no entity file', 'shape/code-only'],
    ['adds a service with its source files, relating to a system 100 services relate to', 'shape/service-with-code'],
    ['deletes a service another relates to, with its folder', 'shape/delete-with-code'],
  ];
  try {
    for (const [what, branch] of shapes) {
      git(repo, 'checkout', '-q', branch);
      reportChangedOnly(`a change that ${what}`, repo, 'HEAD~1', `check --base (${branch})`);
    }
  } finally {
    git(repo, 'checkout', '-q', 'main');
  }
}

/**
 * `check --all` against its floor (bench-floor.mjs --untracked), in turns: Node listing the entity files
 * from git's index and reading each one while git walks the work tree for untracked files, as a full check
 * must; the two parts alone are shown beside it.
 */
function reportFullCheck(repo) {
  const [floor, listing, walk, all] = inTurns([
    nodeRun('floor: listing and reading, and the walk', [floorScript, '--untracked'], repo),
    nodeRun('listing and reading alone', [floorScript], repo),
    untrackedWalk(repo),
    portGitopsRun(['check', '--all'], repo),
  ]);
  report({
    what: '`check --all`',
    figure: `${seconds(all.ms)}, ${all.peakMb.toFixed(0)} MB`,
    floor: `listing from git's index and reading, while git walks for untracked files: ${seconds(floor.ms)} (the listing and reading alone: ${seconds(listing.ms)}; the walk alone: ${seconds(walk.ms)})`,
    ratio: `${(all.ms / floor.ms).toFixed(2)}×`,
    target: '≤ 2.5×',
    ok: all.ms / floor.ms <= 2.5,
  });
}

/**
 * `check --base BASE` against its floor (bench-floor.mjs --range), in turns: Node's start, the range's
 * diff, and one `git grep -F` of the entity files for the names the change adds or removes.
 */
function reportChangedOnly(what, repo, base, label) {
  const names = namesOfChange(repo, base, 'HEAD');
  const [run, floor, libraries] = inTurns([
    portGitopsRun(['check', '--base', base], repo, label),
    nodeRun(`floor of ${label}`, [floorScript, '--range', base, 'HEAD', ...names], repo),
    nodeRun(`the libraries' least for ${label}`, [librariesFloor, 'check', '--base', base], repo),
  ]);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  report({
    what: `\`check --base\` of ${what}`,
    figure: seconds(run.ms),
    floor: `Node, the diff${names.length > 0 ? `, one git grep for ${shown}` : ''}: ${seconds(floor.ms)} (the libraries' least: ${seconds(libraries.ms)})`,
    ratio: `${(run.ms / floor.ms).toFixed(2)}×`,
    target: '≤ 2×',
    ok: run.ms / floor.ms <= 2,
  });
}

if (part('startup')) {
  section = "Start-up, against Node's own";
  console.log(`\n${section}`);
  const example = join(root, 'examples/monorepo');
  const named = 'teams/payments/services/checkout/port.yml';
  const [bare, version, check, gitFloor, libraries] = inTurns(
    [
      nodeRun('node -e 0', ['-e', '0'], root),
      portGitopsRun(['--version'], root),
      portGitopsRun(['check', named], example),
      nodeRun('node and the git calls of a named check', [floorScript, named], example),
      nodeRun("the libraries' least for a named check", [librariesFloor, 'check', named], example),
    ],
    runs * 2,
  );
  const versionRatio = version.ms / bare.ms;
  report({
    what: '`port-gitops --version`',
    figure: seconds(version.ms),
    floor: `\`node -e 0\`: ${seconds(bare.ms)}`,
    ratio: `${versionRatio.toFixed(2)}×`,
    target: '≤ 1.5×',
    ok: versionRatio <= 1.5,
  });
  report({
    what: '`check` of one named file (the example monorepo, as a pre-commit hook runs it)',
    figure: seconds(check.ms),
    floor: `Node, the root, the file's place in git, one git grep of the entity files: ${seconds(gitFloor.ms)} (\`node -e 0\`: ${seconds(bare.ms)}; the libraries' least: ${seconds(libraries.ms)})`,
    ratio: `${(check.ms / gitFloor.ms).toFixed(2)}×`,
    target: '≤ 2×',
    ok: check.ms / gitFloor.ms <= 2,
  });
}

if (part('push')) {
  section = 'Pushing';
  const repo = generated('monorepo-10000-2000', { files: 10_000, entities: 2_000, changed: 10 });
  const entityFiles = git(repo, 'ls-files', '-z', '--', '*port.yml').split('\0').filter(Boolean);
  await benchPush({ cli, repo, entityFiles, serialSample, report, runs });
}

if (part('scale')) {
  section = 'Scale: 5 files per entity file';
  console.log(`\n${section}`);
  const scale = [];
  for (const entities of [1_000, 10_000, 50_000]) {
    const repo = generated(`monorepo-${entities * 5}-${entities}`, { files: entities * 5, entities, changed: 10 });
    const times = Math.min(runs, 3);
    const all = portGitops(['check', '--all'], repo, `check --all (${entities})`, times);
    const base = portGitops(['check', '--base', 'HEAD~1'], repo, `check --base (${entities})`, times);
    const push = await syncFigures(cli, repo);
    console.log(
      `${`sync --all (${entities}), 20 ms`.padEnd(40)} ${seconds(push.ms)}  peak ${push.peakMb.toFixed(0)} MB`,
    );
    scale.push({ entities, all, base, push });
  }
  for (const { entities, all, base, push } of scale) {
    const peak = Math.max(all.peakMb, base.peakMb, push.peakMb);
    report({
      what: `${entities.toLocaleString('en-US')} entity files: \`check --all\` · \`check --base\` · \`sync --all\``,
      figure: `${seconds(all.ms)} · ${seconds(base.ms)} · ${seconds(push.ms)}`,
      floor: `per 1,000 entity files: ${((all.ms * 1000) / entities / 1000).toFixed(3)} s · — · ${((push.ms * 1000) / entities / 1000).toFixed(3)} s`,
      ratio: `peak ${peak.toFixed(0)} MB`,
      target: entities === 50_000 ? 'peak < 400 MB' : 'linear',
      ok: entities !== 50_000 || peak < 400,
    });
  }
}

if (part('warnings')) {
  section = 'Placing many warnings';
  console.log(`\n${section}`);
  const repo = `${root}.bench/warnings-10000`;
  generateWarnings(repo, 10_000);
  const [run, junit] = inTurns([
    portGitopsRun(['check', '--all'], repo, 'check --all (25,000 warnings)'),
    portGitopsRun(['check', '--all', '--junit', `${repo}.junit.xml`], repo, 'check --all --junit (25,000 warnings)'),
  ]);
  const placing = run.timings['relation targets'] ?? 0;
  const share = placing / run.ms;
  report({
    what: '`check --all` of 10,000 files with 25,000 relations to entities no file defines',
    figure: seconds(run.ms),
    floor: `placing the warnings: ${placing} ms`,
    ratio: `${(share * 100).toFixed(1)}% of the run`,
    target: '≤ 10%',
    ok: share <= 0.1,
  });
  report({
    what: 'the same with `--junit FILE` (one test case a file)',
    figure: seconds(junit.ms),
    floor: `without \`--junit\`: ${seconds(run.ms)}`,
    ratio: `${(junit.ms / run.ms).toFixed(2)}×`,
    target: '≤ 1.2×',
    ok: junit.ms / run.ms <= 1.2,
  });
}

if (part('backstage')) {
  section = 'Backstage catalog';
  const catalogs = `${root}.bench/backstage-${services}`;
  console.log(
    `\n${section}: ${services} catalog-info.yaml files (Component + API, $text description) and an org file; the same entities as port.yml (${catalogs})`,
  );
  generateBackstageCatalogs({ out: catalogs, services });
  spawnSync('sync');
  const [backstage, native] = inTurns([
    portGitopsRun(['check', '--all'], `${catalogs}/backstage`, 'check --all (Backstage)'),
    portGitopsRun(['check', '--all'], `${catalogs}/native`, 'check --all (port.yml)'),
  ]);
  report({
    what: `\`check --all\` of ${services.toLocaleString('en-US')} catalog-info.yaml files (${(services * 2 + 170).toLocaleString('en-US')} entities)`,
    figure: `${seconds(backstage.ms)}, ${backstage.peakMb.toFixed(0)} MB`,
    floor: `the same entities as port.yml: ${seconds(native.ms)}`,
    ratio: `${(backstage.ms / native.ms).toFixed(2)}×`,
    target: '—',
    ok: true,
  });
}

if (part('mappings')) {
  section = 'File-kind mappings';
  const count = 10_000;
  const repos = `${root}.bench/mappings-${count}`;
  console.log(
    `\n${section}: ${count.toLocaleString('en-US')} package.json files mapped, and the same entities as port.json (${repos})`,
  );
  generateMappings(repos, count);
  spawnSync('sync');
  const [mapped, computed, native] = inTurns([
    portGitopsRun(['check', '--all'], `${repos}/mapped`, 'check --all (package.json, plain paths)'),
    portGitopsRun(['check', '--all'], `${repos}/computed`, 'check --all (package.json, jq on every field)'),
    portGitopsRun(['check', '--all'], `${repos}/native`, 'check --all (port.json)'),
  ]);
  for (const [what, run] of [
    ['plain paths (`.content.name`), answered without jq', mapped],
    ['a jq expression on every field (`ascii_downcase` of `.content.name`, ...)', computed],
  ]) {
    report({
      what: `\`check --all\` of ${count.toLocaleString('en-US')} package.json files through a file-kind mapping of ${what}`,
      figure: seconds(run.ms),
      floor: `the same entities as port.json: ${seconds(native.ms)}`,
      ratio: `${(run.ms / native.ms).toFixed(2)}×`,
      target: '≤ 1.5×',
      ok: run.ms / native.ms <= 1.5,
    });
  }
}

/**
 * Two repositories of the same `count` entities: `mapped` holds a package.json per service and a
 * port-app-config.yml that maps each (name, version, description, private); `native` holds them as
 * port.json files.
 */
function generateMappings(out, count) {
  const stamp = join(out, '.generated.json');
  try {
    if (readFileSync(stamp, 'utf8') === `${count} v3`) return;
  } catch {
    // not generated yet
  }
  execFileSync('rm', ['-rf', out]);
  const blueprint = JSON.stringify({
    identifier: 'package',
    schema: {
      properties: { version: { type: 'string' }, description: { type: 'string' }, private: { type: 'boolean' } },
    },
  });
  const mapping = `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'packages/**/package.json'
    port:
      entity:
        mappings:
          identifier: .content.name
          blueprint: '"package"'
          properties:
            version: .content.version
            description: .content.description
            private: .content.private
`;
  // The same mapping with a jq expression in each field, which jq itself must answer.
  const computed = mapping
    .replace('identifier: .content.name', 'identifier: .content.name | ascii_downcase')
    .replace('version: .content.version', 'version: .content.version | tostring')
    .replace('description: .content.description', 'description: .content.description | ltrimstr(" ")')
    .replace('private: .content.private', 'private: .content.private == true');
  for (const kind of ['mapped', 'computed', 'native']) {
    const dir = join(out, kind);
    const write = (path, text) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write('.port/blueprints/package.json', blueprint);
    if (kind !== 'native') write('.port/port-app-config.yml', kind === 'mapped' ? mapping : computed);
    write('port-gitops.config.json', JSON.stringify({ exclude: ['.port/**'] }));
    for (let i = 0; i < count; i++) {
      const name = `pkg-${i}`;
      const fields = { version: `1.${i % 50}.0`, description: `Package ${i} of the bench`, private: i % 3 === 0 };
      const folder = `packages/group-${i % 100}/${name}`;
      if (kind !== 'native') {
        write(
          `${folder}/package.json`,
          JSON.stringify(
            { name, ...fields, scripts: { test: 'vitest' }, dependencies: { lodash: '^4.17.21' } },
            null,
            2,
          ),
        );
      } else {
        write(
          `${folder}/port.json`,
          JSON.stringify({ identifier: name, blueprint: 'package', properties: fields }, null, 2),
        );
      }
    }
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@example.com', 'commit', '-q', '-m', kind], {
      cwd: dir,
    });
  }
  writeFileSync(stamp, `${count} v3`);
}

/**
 * How the table names a repository it did not generate: BENCH_FOREIGN_NAME, else its folder's name (a
 * mirror laid out as `owner+name/repo` reads `owner/name`), and its commit; never a path of this machine.
 */
function foreignName(from) {
  const parts = from.replace(/\/+$/, '').split('/');
  const folder = parts.at(-1) === 'repo' && parts.at(-2)?.includes('+') ? parts.at(-2).replace('+', '/') : parts.at(-1);
  const commit = git(from, 'rev-parse', '--short=10', 'HEAD').trim();
  return `${process.env.BENCH_FOREIGN_NAME ?? folder} at ${commit}`;
}

if (process.env.BENCH_FOREIGN && part('foreign')) {
  const from = process.env.BENCH_FOREIGN;
  const name = foreignName(from);
  for (const copies of [1, 8]) {
    const repo = `${root}.bench/foreign-${copies}`;
    const started = performance.now();
    generateForeign({ from, out: repo, copies, back: 30 });
    const files = git(repo, 'ls-files', '-z').split('\0').length - 1;
    const entityFiles = git(repo, 'ls-files', '-z', '--', '*port.yml').split('\0').length - 1;
    section = `Not generated here: ${name}'s tree${copies > 1 ? ` ${copies} times over` : ''} (${files.toLocaleString('en-US')} files, ${entityFiles.toLocaleString('en-US')} entity files)`;
    console.log(`\n${section}: ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    reportFullCheck(repo);
    // Eight copies hold each package name eight times: one entity each, so the mapping row is the tree's own.
    if (copies === 1) reportForeignMapping(repo);
    const changed = git(repo, 'diff', '--name-only', 'HEAD~1').split('\n').filter(Boolean);
    reportChangedOnly(
      `its last 30 commits (${changed.length.toLocaleString('en-US')} files changed, ${changed.filter((p) => p.endsWith('port.yml')).length} entity files)`,
      repo,
      'HEAD~1',
      `check --base (${copies > 1 ? `${copies} times over` : 'as it is'})`,
    );
  }
}

/**
 * The mapping row on a tree this project did not write: every package.json of it (fixtures and tests
 * left out) through a file-kind mapping of plain paths, and through one with jq expressions, against the
 * port.yml the generator wrote beside each package.
 * Both read the same checkout, each through a config of its own (untracked files under .port/).
 */
function reportForeignMapping(repo) {
  const write = (path, text) => writeFileSync(join(repo, path), text);
  const exclude = ['**/fixtures/**', '**/test/**'];
  write('.port/bench-native.config.json', JSON.stringify({ include: ['**/port.yml'], exclude }));
  const mapping = (identifier, version) => `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: '**/package.json'
    port:
      entity:
        mappings:
          identifier: ${identifier}
          blueprint: '"package"'
          properties:
            version: ${version}
            private: .content.private
`;
  write('.port/bench-plain.yml', mapping('.content.name', '.content.version'));
  write('.port/bench-computed.yml', mapping('.content.name | ascii_downcase', '.content.version | tostring'));
  for (const kind of ['plain', 'computed'])
    write(
      `.port/bench-${kind}.config.json`,
      // `include` needs a glob: one with a literal ending that matches nothing, so that discovery keeps its
      // filter by name (a glob without one, `nothing/**`, would make it look at every file).
      JSON.stringify({ include: ['**/none.port.json'], exclude, mappings: { file: `.port/bench-${kind}.yml` } }),
    );
  const config = (kind) => ['--config', `.port/bench-${kind}.config.json`];
  const [native, plain, computed] = inTurns([
    portGitopsRun(['check', '--all', ...config('native')], repo, 'check --all (port.yml beside each package)'),
    portGitopsRun(['check', '--all', ...config('plain')], repo, 'check --all (package.json, plain paths)'),
    portGitopsRun(['check', '--all', ...config('computed')], repo, 'check --all (package.json, jq on every field)'),
  ]);
  for (const [what, run] of [
    ['plain paths', plain],
    ['jq expressions (`ascii_downcase`, `tostring`)', computed],
  ]) {
    report({
      what: `\`check --all\` of its package.json files through a file-kind mapping of ${what}`,
      figure: seconds(run.ms),
      floor: `the port.yml beside each: ${seconds(native.ms)}`,
      ratio: `${(run.ms / native.ms).toFixed(2)}×`,
      target: '≤ 1.5×',
      ok: run.ms / native.ms <= 1.5,
    });
  }
}

/** A repository whose every file relates to entities no file defines: 2.5 relations a file. */
function generateWarnings(out, count) {
  const stamp = join(out, '.generated.json');
  try {
    if (readFileSync(stamp, 'utf8') === String(count)) return;
  } catch {
    // not generated yet
  }
  execFileSync('rm', ['-rf', out]);
  const write = (path, text) => {
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), text);
  };
  write(
    '.port/blueprints/service.json',
    JSON.stringify({
      identifier: 'service',
      schema: { properties: { language: { type: 'string' } } },
      relations: {
        dependsOn: { target: 'service', many: true, required: false },
        system: { target: 'system', many: false, required: false },
      },
    }),
  );
  write('.port/blueprints/system.json', JSON.stringify({ identifier: 'system', schema: { properties: {} } }));
  for (let i = 0; i < count; i++) {
    const system = i % 2 === 0 ? `\n  system: ghost-system-${i % 97}` : '';
    write(
      `services/s${i % 100}/svc-${i}/port.yml`,
      `identifier: svc-${i}\nblueprint: service\nproperties:\n  language: go\nrelations:\n  dependsOn: [ghost-${i}-a, ghost-${i}-b]${system}\n`,
    );
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: out });
  execFileSync('git', ['add', '-A'], { cwd: out });
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@example.com', 'commit', '-q', '-m', 'warnings'], {
    cwd: out,
  });
  writeFileSync(stamp, String(count));
}

const table = [];
let current;
for (const row of rows) {
  if (row.section !== current) {
    current = row.section;
    table.push(
      '',
      `**${current}**`,
      '',
      '| | figure | floor or baseline | ratio | target | |',
      '|---|--:|---|--:|---|---|',
    );
  }
  table.push(
    `| ${row.what} | ${row.figure} | ${row.floor} | ${row.ratio} | ${row.target} | ${row.ok ? 'met' : 'missed'} |`,
  );
}
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? 'unknown CPU';
const heading = `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${timedNodeVersion}, ${cpu}, medians of ${runs} runs${only ? ` (BENCH_ONLY=${only})` : ''}.`;
const markdown = `${heading}\n${table.join('\n')}\n`;
mkdirSync(`${root}.bench`, { recursive: true });
writeFileSync(`${root}.bench/results.md`, markdown);
console.log(`\n${markdown}`);
if (process.env.BENCH_UPDATE_DOCS === '1') {
  const docs = `${root}docs/benchmarks.md`;
  const text = readFileSync(docs, 'utf8');
  const start = text.indexOf('<!-- bench:start -->');
  const end = text.indexOf('<!-- bench:end -->');
  if (start === -1 || end === -1) throw new Error('docs/benchmarks.md has no bench markers');
  writeFileSync(docs, `${text.slice(0, start)}<!-- bench:start -->\n${markdown}${text.slice(end)}`);
  // The page is kept in the formatter's layout (npm run lint checks it): the tables aligned.
  execFileSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', docs], { stdio: 'ignore' });
  console.log('docs/benchmarks.md updated');
}
console.log(`reproduce: npm run bench  (BENCH_RUNS=${runs}${only ? ` BENCH_ONLY=${only}` : ''})`);
process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
