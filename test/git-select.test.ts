import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { apiGet, emulator, exampleBlueprints, git, makeDir, makeRepo, runCli, syncEnv, writeFiles } from './helpers.js';

const domain = (id: string, description = id) =>
  `identifier: ${id}\nblueprint: domain\nproperties:\n  description: ${description}\n`;
const service = (id: string, dependsOn: string[]) =>
  `identifier: ${id}\nblueprint: service\nproperties: {language: go, lifecycle: production}\nrelations:\n  dependsOn: [${dependsOn.join(', ')}]\n`;

/** A target many files name and one defines, written with an escape as JSON may write it; with the files naming it. */
function popularTarget(): Record<string, string> {
  const files: Record<string, string> = {
    'popular/port.json': JSON.stringify({ identifier: 'popular', blueprint: 'service' }).replace(
      'popular',
      'popul\\u0061r',
    ),
  };
  for (let i = 0; i < 30; i++) files[`s${i}/port.yml`] = service(`s${i}`, ['popular']);
  return files;
}

/** `check --base HEAD~1` of `repo`: its JSON report, and the git commands it ran that match `command`. */
async function checkTracingGit(repo: string): Promise<{ report: Report; gitCalls: (command: RegExp) => string[] }> {
  const trace = join(makeDir({}), 'trace');
  const run = await runCli(['check', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env: { GIT_TRACE: trace } });
  const lines = readFileSync(trace, 'utf8').split('\n');
  return {
    report: JSON.parse(run.stdout) as Report,
    gitCalls: (command) => lines.filter((line) => command.test(line)),
  };
}

function commit(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** Identifiers of the entities that bulk upserts carried, and of those deleted, since `from`. */
function writes(port: Awaited<ReturnType<typeof emulator>>, from = 0) {
  const exchanges = port.exchanges.slice(from);
  const upserted = exchanges
    .filter((e) => e.route.endsWith('/entities/bulk'))
    .flatMap((e) => (e.requestBody as { entities: Array<{ identifier: string }> }).entities.map((x) => x.identifier));
  const deleted = exchanges
    .filter((e) => e.method === 'DELETE')
    .map((e) => decodeURIComponent(e.path.split('/').pop()!));
  return { upserted: upserted.sort(), deleted: deleted.sort() };
}

const ids = (port: Awaited<ReturnType<typeof emulator>>) =>
  port.store
    .entities()
    .map((e) => e.identifier)
    .sort();

/** main holds five domains in four files; the `feature` branch changes them in every way. */
function repoWithFeatureBranch() {
  const repo = makeRepo({
    'a/port.yml': domain('a'),
    'b/port.yml': domain('b'),
    'c/port.yml': domain('c'),
    'd/port.yml': domain('d'),
    'list/port.yml': `- {identifier: l1, blueprint: domain}\n- {identifier: l2, blueprint: domain}\n- {identifier: l3, blueprint: domain}\n`,
  });
  git(repo, 'checkout', '-q', '-b', 'feature');
  writeFiles(repo, { 'a/port.yml': domain('a', 'edited'), 'e/port.yml': domain('e') });
  git(repo, 'mv', 'b/port.yml', 'b/renamed.port.yml');
  renameSync(join(repo, 'c/port.yml'), join(repo, 'c/moved.port.yml'));
  writeFileSync(join(repo, 'c/moved.port.yml'), domain('c', 'edited while moving'));
  rmSync(join(repo, 'd/port.yml'));
  writeFiles(repo, {
    'list/port.yml': `- {identifier: l1, blueprint: domain}\n- {identifier: l3, blueprint: domain, title: Changed}\n`,
  });
  commit(repo, 'feature');
  return repo;
}

describe('changed-only selection (--base)', () => {
  it('pushes exactly what changed, entity by entity, and deletes what was removed', async () => {
    const repo = repoWithFeatureBranch();
    const port = await emulator({ record: true });
    git(repo, 'checkout', '-q', 'main');
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    expect(ids(port)).toEqual(['a', 'b', 'c', 'd', 'l1', 'l2', 'l3']);
    git(repo, 'checkout', '-q', 'feature');

    const before = port.exchanges.length;
    const run = await runCli(['sync', '--base', 'main', '--delete-removed', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // a: modified; e: added; b: a pure rename (nothing); c: renamed with an edit; l3: changed in a list
    // whose l1 did not change; d: its file deleted; l2: gone from its list.
    expect(writes(port, before)).toEqual({ upserted: ['a', 'c', 'e', 'l3'], deleted: ['d', 'l2'] });
    expect(ids(port)).toEqual(['a', 'b', 'c', 'e', 'l1', 'l3']);

    const report = JSON.parse(run.stdout) as Report;
    expect(report.mode).toBe('changed');
    expect(report.base).toBe(git(repo, 'merge-base', 'main', 'feature').trim());
    expect(report.head).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    const actions = Object.fromEntries(report.entities.map((e) => [e.identifier, `${e.action}:${e.result}`]));
    expect(actions).toEqual({
      a: 'upsert:ok',
      b: 'none:ok',
      c: 'upsert:ok',
      e: 'upsert:ok',
      l1: 'none:ok',
      l3: 'upsert:ok',
      d: 'delete:ok',
      l2: 'delete:ok',
    });
    expect(report.summary).toMatchObject({ upserted: 4, deleted: 2, unchanged: 2, failed: 0 });
  });

  it('without --delete-removed deletes nothing and says what it would delete', async () => {
    const repo = repoWithFeatureBranch();
    const port = await emulator({ record: true });
    const run = await runCli(['sync', '--base', 'main'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(0);
    expect(writes(port).deleted).toEqual([]);
    expect(run.stderr).toContain(
      '2 entities were removed from the files but not deleted from Port: pass --delete-removed',
    );
  });

  it('lists each selected file with its status and why', async () => {
    const repo = repoWithFeatureBranch();
    const run = await runCli(['list', '--base', 'main'], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'modified  a/port.yml  domain/a',
      'renamed   b/renamed.port.yml (from b/port.yml)  domain/b',
      'renamed   c/moved.port.yml (from c/port.yml)  domain/c',
      'deleted   d/port.yml',
      'added     e/port.yml  domain/e',
      'modified  list/port.yml  domain/l1, domain/l3',
      'removed  domain/d  (was in d/port.yml)',
      'removed  domain/l2  (was in list/port.yml)',
    ]);
  });

  it('neither deletes nor pushes an entity that moved to another file unchanged', async () => {
    const repo = makeRepo({ 'a/port.yml': `${domain('x')}---\n${domain('y')}` });
    git(repo, 'checkout', '-q', '-b', 'move');
    writeFiles(repo, { 'a/port.yml': domain('x'), 'b/port.yml': domain('y') });
    commit(repo, 'move y');
    const port = await emulator({ record: true });
    const run = await runCli(['sync', '--base', 'main', '--delete-removed', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(0);
    expect(writes(port)).toEqual({ upserted: [], deleted: [] });
    expect((JSON.parse(run.stdout) as Report).summary).toMatchObject({ unchanged: 2, upserted: 0, deleted: 0 });
  });

  it('deletes nothing from a changed file that no longer parses', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('keep-me') });
    writeFiles(repo, { 'a/port.yml': 'identifier: keep-me\n  blueprint: : broken' });
    commit(repo, 'break it');
    const port = await emulator({ record: true });
    const run = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(1);
    expect(writes(port)).toEqual({ upserted: [], deleted: [] });
    expect((JSON.parse(run.stdout) as Report).errors[0]).toMatchObject({ file: 'a/port.yml', code: 'parse' });
  });

  it('warns in each unchanged file that relates to an entity the change removes, as a full check does', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'a/port.yml': service('a', []),
      'b/port.yml': service('b', ['a']),
      'c/port.yml': service('c', ['b', 'a']),
      'd/port.yml': service('d', ['a-2']), // names a longer identifier: not a relation to "a"
      'a2/port.yml': service('a-2', []),
      'e/port.yml': service('e', []),
      'm/port.yml': service('m', ['e']),
    });
    rmSync(join(repo, 'a/port.yml'));
    // e moves to another file: it is not removed, and m's relation stands.
    rmSync(join(repo, 'e/port.yml'));
    writeFiles(repo, { 'e2/port.yml': service('e', []) });
    commit(repo, 'remove a, move e');
    const run = await runCli(['check', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo });
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(0);
    expect(report.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.severity} ${e.rule} ${e.pointer}`)).toEqual([
      'b/port.yml:5:15 warning relation-target /relations/dependsOn/0',
      'c/port.yml:5:18 warning relation-target /relations/dependsOn/1',
    ]);
    expect(report.errors[0]!.hint).toBe(
      'this change removes it from a/port.yml; it may still exist in Port; --strict-relations makes this an error',
    );
    // The same relations a full check reports, in the same words.
    const all = JSON.parse((await runCli(['check', '--all', '--format', 'json'], { cwd: repo })).stdout) as Report;
    expect(all.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`)).toEqual(
      report.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
    );
    const strict = await runCli(['check', '--base', 'HEAD~1', '--strict-relations'], { cwd: repo });
    expect(strict.code).toBe(1);
  });

  it('looks up the targets a change adds and the relations to what it removes with one git grep', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      ...popularTarget(),
      'gone/port.yml': service('gone', []),
      'keeps/port.yml': service('keeps', ['gone']),
    });
    rmSync(join(repo, 'gone/port.yml'));
    writeFiles(repo, { 'new/port.yml': service('new', ['popular']) });
    commit(repo, 'remove gone, add new');
    const { report, gitCalls } = await checkTracingGit(repo);
    // popular is defined (through the escape): no warning for new; keeps relates to what was removed.
    expect(report.errors.map((e) => `${e.file} ${e.rule} ${e.pointer}`)).toEqual([
      'keeps/port.yml relation-target /relations/dependsOn/0',
    ]);
    expect(gitCalls(/ git grep .* -[PE] /)).toHaveLength(1);
  });

  it('searches the entity files once for a new service that comes with its code', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      ...popularTarget(),
      'docs/port.yml': domain('docs', 'file://./README.md'),
      'docs/README.md': 'v1',
    });
    writeFiles(repo, {
      'new/port.yml': service('new', ['popular', 'nowhere']),
      'new/src/main.ts': 'export {};\n',
      'docs/README.md': 'v2',
    });
    commit(repo, 'add new, with its code; edit the docs');
    const { report, gitCalls } = await checkTracingGit(repo);
    // The file pulling in the edited README is checked; popular is found, nowhere is not.
    expect(report.files.map((file) => file.path).sort()).toEqual(['docs/port.yml', 'new/port.yml']);
    expect(report.errors.map((e) => `${e.file} ${e.rule} ${e.pointer}`)).toEqual([
      'new/port.yml relation-target /relations/dependsOn/1',
    ]);
    expect(gitCalls(/ git grep /)).toHaveLength(1);
  });

  it('searches the entity files once for a service deleted with its code', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'gone/port.yml': service('gone', ['kept']),
      'gone/src/main.ts': 'export {};\n',
      'kept/port.yml': service('kept', []),
      'keeps/port.yml': service('keeps', ['gone']),
      'mentions/port.yml': domain('mentions', '"gone is gone"'),
    });
    rmSync(join(repo, 'gone'), { recursive: true });
    commit(repo, 'remove gone and its code');
    const { report, gitCalls } = await checkTracingGit(repo);
    expect(report.errors.map((e) => `${e.file} ${e.rule} ${e.pointer}`)).toEqual([
      'keeps/port.yml relation-target /relations/dependsOn/0',
    ]);
    expect(gitCalls(/ git grep /)).toHaveLength(1);
    // The base versions it read to find what the change removes serve the comparison with base too.
    expect(gitCalls(/ git cat-file /)).toHaveLength(1);
  });

  it('selects an unchanged entity file when a file it pulls in with file:// changed', async () => {
    const repo = makeRepo({
      'svc/port.yml': `identifier: docs\nblueprint: domain\nproperties:\n  description: file://./README.md\n`,
      'svc/README.md': 'v1',
      'other/port.yml': domain('other'),
      'notes.txt': 'unrelated',
    });
    writeFiles(repo, { 'svc/README.md': 'v2', 'notes.txt': 'still unrelated' });
    commit(repo, 'docs');
    const list = await runCli(['list', '--base', 'HEAD~1'], { cwd: repo });
    expect(list.stdout.trim()).toBe('unchanged svc/port.yml  domain/docs  (pulls in svc/README.md, which changed)');
    const port = await emulator();
    expect((await runCli(['sync', '--base', 'HEAD~1'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    expect(
      (
        await apiGet<{ entity: { properties: { description: string } } }>(
          port.url,
          '/v1/blueprints/domain/entities/docs',
        )
      ).body.entity.properties.description,
    ).toBe('v2');
    expect(ids(port)).toEqual(['docs']);
  });

  it('re-validates every entity file when the config file or the shared schema changed, and says why', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'port-gitops.config.json': '{}',
      'schemas/entity.schema.json': '{"type": "object"}',
      'a/port.yml': domain('a'),
      'b/port.yml': 'identifier: b\nblueprint: domain\n',
    });
    writeFiles(repo, { 'port-gitops.config.json': '{"schema": "schemas/entity.schema.json"}' });
    commit(repo, 'config');
    writeFiles(repo, { 'schemas/entity.schema.json': '{"type": "object", "required": ["properties"]}' });
    commit(repo, 'schema');
    const afterConfig = await runCli(['check', '--base', 'HEAD~2', '--head', 'HEAD', '--format', 'json'], {
      cwd: repo,
    });
    expect(afterConfig.stderr).toContain(
      'port-gitops.config.json and schemas/entity.schema.json changed: every entity file is re-validated',
    );
    expect(afterConfig.code).toBe(1);
    expect((JSON.parse(afterConfig.stdout) as Report).notes).toEqual([
      'port-gitops.config.json and schemas/entity.schema.json changed: every entity file is re-validated',
    ]);
    expect((JSON.parse(afterConfig.stdout) as Report).errors.map((e) => `${e.file} ${e.pointer}`)).toEqual([
      'b/port.yml /properties',
    ]);
    const onlySchema = await runCli(['list', '--base', 'HEAD~1'], { cwd: repo });
    expect(onlySchema.stdout).toContain('unchanged b/port.yml  domain/b  (schemas/entity.schema.json changed)');
  });

  it('re-validates every entity file when a blueprint definition changes, and names the files it breaks', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'a/port.yml': domain('a'),
      'b/port.yml': 'identifier: b\nblueprint: domain\n',
    });
    const definition = JSON.parse(readFileSync(join(repo, '.port/blueprints/domain.json'), 'utf8'));
    definition.schema.required = ['description'];
    writeFileSync(join(repo, '.port/blueprints/domain.json'), JSON.stringify(definition, null, 2));
    commit(repo, 'description is required');
    const run = await runCli(['check', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.notes).toContain('.port/blueprints/domain.json changed: every entity file is re-validated');
    // What the change does to the data model, classed, for the reviewer.
    expect(report.notes).toContain(
      'blueprint domain (.port/blueprints/domain.json): breaking: schema.properties.description.required: the property becomes required: entities without it stop validating',
    );
    // b never had a description: the blueprint change breaks it, though the change did not touch it.
    expect(report.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.rule}`)).toEqual([
      'b/port.yml:1:1 blueprint domain: required',
    ]);
    expect(run.code).toBe(1);
  });

  it('handles paths with spaces, unicode and newlines', async () => {
    const repo = makeRepo({ 'seed.txt': 'x' });
    const names = ['with space/port.yml', 'ünïcödé/日本/port.yml', 'new\nline/port.yml'];
    for (const [i, name] of names.entries()) writeFiles(repo, { [name]: domain(`odd-${i}`) });
    commit(repo, 'odd names');
    const port = await emulator();
    const run = await runCli(['sync', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).entities.map((e) => e.file).sort()).toEqual([...names].sort());
    expect(ids(port)).toEqual(['odd-0', 'odd-1', 'odd-2']);
  });

  it('takes a merge commit as head: everything merged since the base', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    const start = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'checkout', '-q', '-b', 'topic');
    writeFiles(repo, { 'topic/port.yml': domain('topic') });
    commit(repo, 'topic');
    git(repo, 'checkout', '-q', 'main');
    writeFiles(repo, { 'main/port.yml': domain('mainline') });
    commit(repo, 'main');
    git(repo, 'merge', '-q', '--no-ff', '-m', 'merge topic', 'topic');
    const run = await runCli(['list', '--base', start, '--format', 'json'], { cwd: repo });
    expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path)).toEqual([
      'main/port.yml',
      'topic/port.yml',
    ]);
  });

  it('asks for the merge-base in its first git call, and asks git merge-base when there are two', async () => {
    // A criss-cross: main and topic each merged the other, so the two heads have two merge-bases.
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    git(repo, 'checkout', '-q', '-b', 'topic');
    writeFiles(repo, { 'topic/port.yml': domain('topic') });
    const topic1 = commit(repo, 'topic 1');
    git(repo, 'checkout', '-q', 'main');
    writeFiles(repo, { 'main/port.yml': domain('mainline') });
    const main1 = commit(repo, 'main 1');
    git(repo, 'merge', '-q', '--no-ff', '-m', 'topic into main', topic1);
    git(repo, 'checkout', '-q', 'topic');
    git(repo, 'merge', '-q', '--no-ff', '-m', 'main into topic', main1);
    writeFiles(repo, { 'topic/port.yml': domain('topic', 'edited') });
    commit(repo, 'topic 2');
    expect(git(repo, 'merge-base', '--all', 'main', 'HEAD').trim().split('\n')).toHaveLength(2);

    const trace = join(makeDir({}), 'trace');
    const gitCalls = () =>
      readFileSync(trace, 'utf8')
        .split('\n')
        .filter((line) => / built-in: git /.test(line));
    const crissCross = await runCli(['list', '--base', 'main', '--format', 'json'], {
      cwd: repo,
      env: { GIT_TRACE: trace },
    });
    expect(JSON.parse(crissCross.stdout).base).toBe(git(repo, 'merge-base', 'main', 'HEAD').trim());
    expect(gitCalls().filter((line) => / git merge-base /.test(line))).toHaveLength(1);

    rmSync(trace);
    const simple = await runCli(['list', '--base', 'HEAD~1', '--format', 'json'], {
      cwd: repo,
      env: { GIT_TRACE: trace },
    });
    expect(JSON.parse(simple.stdout).base).toBe(git(repo, 'rev-parse', 'HEAD~1').trim());
    expect(gitCalls()[0]).toMatch(/ git rev-parse --show-toplevel HEAD 'HEAD~1\.\.\.HEAD' --$/);
    expect(gitCalls().filter((line) => / git merge-base /.test(line))).toEqual([]);
  });

  it('skips submodules', async () => {
    const inner = makeRepo({ 'port.yml': domain('inside-submodule') });
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner, 'vendor/inner');
    writeFiles(repo, { 'b/port.yml': domain('b') });
    commit(repo, 'submodule and b');
    const run = await runCli(['list', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path)).toEqual(['b/port.yml']);
  });

  it("adds the working tree's changes with --include-uncommitted", async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    writeFiles(repo, { 'a/port.yml': domain('a', 'local edit'), 'new/port.yml': domain('untracked') });
    const committedOnly = await runCli(['list', '--base', 'HEAD', '--format', 'json'], { cwd: repo });
    expect(JSON.parse(committedOnly.stdout).files).toEqual([]);
    const withLocal = await runCli(['list', '--base', 'HEAD', '--include-uncommitted', '--format', 'json'], {
      cwd: repo,
    });
    expect(
      JSON.parse(withLocal.stdout).files.map((f: { path: string; status: string }) => `${f.status} ${f.path}`),
    ).toEqual(['modified a/port.yml', 'added new/port.yml']);
  });
});

describe('an unresolvable base is never "nothing changed"', () => {
  /** A bare origin with main (two commits) and a feature branch; returns a shallow clone of feature. */
  function shallowClone() {
    const work = makeRepo({ 'a/port.yml': domain('a') });
    writeFiles(work, { 'b/port.yml': domain('b') });
    commit(work, 'second on main');
    git(work, 'checkout', '-q', '-b', 'feature');
    writeFiles(work, { 'c/port.yml': domain('c') });
    commit(work, 'feature 1');
    writeFiles(work, { 'd/port.yml': domain('d') });
    commit(work, 'feature 2');
    const origin = join(makeDir({}), 'origin.git');
    git(work, 'clone', '-q', '--bare', work, origin);
    const clone = join(makeDir({}), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, clone]);
    return clone;
  }

  it('deepens a shallow clone from its remote until the merge-base is there', async () => {
    const clone = shallowClone();
    const run = await runCli(['list', '--base', 'origin/main', '--format', 'json'], { cwd: clone });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path)).toEqual(['c/port.yml', 'd/port.yml']);
  });

  it('exits 3 with the exact fix when a shallow clone cannot be deepened, or falls back with --fallback-all', async () => {
    const clone = shallowClone();
    git(clone, 'remote', 'remove', 'origin');
    const run = await runCli(['check', '--base', 'HEAD~1'], { cwd: clone });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('shallow clone');
    expect(run.stderr).toContain('fetch-depth: 0');
    const fallback = await runCli(['check', '--base', 'HEAD~1', '--fallback-all', '--format', 'json'], { cwd: clone });
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toContain('--fallback-all selected every entity file');
    expect((JSON.parse(fallback.stdout) as Report).mode).toBe('all');
  });

  it('exits 3 for a base that no longer exists (a force push), naming --fallback-all', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    const run = await runCli(['check', '--base', '0123456789abcdef0123456789abcdef01234567'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('does not exist in this repository');
    expect(run.stderr).toContain('--fallback-all');
  });
});

describe('the base from the CI environment', () => {
  /** A repository with an origin remote whose main is behind the checked-out feature branch. */
  function ciRepo() {
    const origin = join(makeDir({}), 'origin.git');
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'clone', '-q', '--bare', repo, origin);
    git(repo, 'remote', 'add', 'origin', origin);
    git(repo, 'fetch', '-q', 'origin');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, { 'b/port.yml': domain('b') });
    commit(repo, 'feature');
    return { repo, base };
  }
  const selected = async (repo: string, env: Record<string, string>) => {
    const run = await runCli(['list', '--format', 'json'], { cwd: repo, env });
    return {
      run,
      files: run.code === 0 ? JSON.parse(run.stdout).files.map((f: { path: string }) => f.path) : undefined,
    };
  };

  it('GitHub Actions pull_request: compares with origin/$GITHUB_BASE_REF', async () => {
    const { repo } = ciRepo();
    const { files, run } = await selected(repo, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_BASE_REF: 'main',
    });
    expect(files).toEqual(['b/port.yml']);
    expect(run.stderr).toContain('base from GitHub Actions pull_request into main');
  });

  it("GitHub Actions push: compares with the event's before SHA; a new branch (all zeros) with the default branch", async () => {
    const { repo, base } = ciRepo();
    const event = join(makeDir({}), 'event.json');
    writeFileSync(event, JSON.stringify({ before: base, repository: { default_branch: 'main' } }));
    expect(
      (await selected(repo, { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event })).files,
    ).toEqual(['b/port.yml']);
    writeFileSync(event, JSON.stringify({ before: '0'.repeat(40), repository: { default_branch: 'main' } }));
    const newBranch = await selected(repo, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
    });
    expect(newBranch.files).toEqual(['b/port.yml']);
    expect(newBranch.run.stderr).toContain('new branch: compared with origin/main');
  });

  it("GitLab: the merge request diff base, or the push's before SHA", async () => {
    const { repo, base } = ciRepo();
    expect((await selected(repo, { GITLAB_CI: 'true', CI_MERGE_REQUEST_DIFF_BASE_SHA: base })).files).toEqual([
      'b/port.yml',
    ]);
    expect((await selected(repo, { GITLAB_CI: 'true', CI_COMMIT_BEFORE_SHA: base })).files).toEqual(['b/port.yml']);
  });

  it('a new branch with no default branch to compare with exits 3, or falls back to all with --fallback-all', async () => {
    const { repo } = ciRepo();
    const env = { GITLAB_CI: 'true', CI_COMMIT_BEFORE_SHA: '0'.repeat(40) };
    const run = await runCli(['list'], { cwd: repo, env });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('all zeros');
    const fallback = await runCli(['list', '--fallback-all', '--format', 'json'], { cwd: repo, env });
    expect(JSON.parse(fallback.stdout).mode).toBe('all');
  });
});
