import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, emulator, git, makeRepo, runCli, syncEnv, writeFiles } from './helpers.js';

const domain = (id: string) => `identifier: ${id}\nblueprint: domain\n`;

describe('the pre-commit hook', () => {
  const [hook] = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{
    entry: string;
    files: string;
    pass_filenames: boolean;
  }>;

  it('matches entity files by name and passes them to port-gitops check', () => {
    const pattern = new RegExp(hook!.files);
    const matched = [
      'port.yml',
      'a/port.yaml',
      'b/port.json',
      'legacy/entity.json',
      'c/db.port.yml',
      'd/catalog-info.yaml',
      'README.md',
      'a/port.yml.bak',
      'src/main.ts',
      'e/catalog-info.yaml.orig',
    ].filter((p) => pattern.test(p));
    expect(matched).toEqual([
      'port.yml',
      'a/port.yaml',
      'b/port.json',
      'legacy/entity.json',
      'c/db.port.yml',
      'd/catalog-info.yaml',
    ]);
    expect(hook!.pass_filenames).toBe(true);
    expect(hook!.entry.endsWith('port-gitops check')).toBe(true);
  });

  it('checks exactly the files it is given, as pre-commit passes the staged ones', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a'), 'broken/port.yml': 'identifier: [not committed yet' });
    writeFiles(repo, {
      'b/port.yml': domain('b'),
      'c/port.yml': 'identifier: bad id\nblueprint: domain\n',
      'notes.txt': 'x',
    });
    git(repo, 'add', 'b/port.yml', 'c/port.yml', 'notes.txt');
    const staged = git(repo, 'diff', '--cached', '--name-only').trim().split('\n');
    const good = await runCli(['check', 'b/port.yml', 'notes.txt'], { cwd: repo });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('1 file · 1 entity');
    const all = await runCli(['check', ...staged, '--format', 'json'], { cwd: repo });
    expect(all.code).toBe(1);
    expect(JSON.parse(all.stdout).errors.map((e: { file: string }) => e.file)).toEqual(['c/port.yml']);
    // From a subfolder, paths are taken relative to it, as pre-commit gives them from the root.
    expect((await runCli(['check', 'port.yml'], { cwd: join(repo, 'b') })).stdout).toContain('1 file · 1 entity');
  });
});

describe('the GitLab CI template', () => {
  const template = parse(readFileSync(join(REPO_ROOT, 'templates/gitlab/port-gitops.gitlab-ci.yml'), 'utf8')) as Record<
    string,
    { script?: string[]; rules?: Array<{ if: string }>; extends?: string }
  >;
  /** The port-gitops arguments of a job's script line. */
  const argsOf = (job: string) => template[job]!.script![0]!.split('port-gitops.mjs ')[1]!.split(' ');

  it('runs check on merge requests and sync on the default branch, with the history they need', () => {
    expect(template['port-gitops:check']!.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(template['port-gitops:sync']!.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect((template['.port-gitops'] as unknown as { variables: { GIT_DEPTH: number } }).variables.GIT_DEPTH).toBe(0);
  });

  it("its commands work with GitLab's variables: the merge request check writes JUnit, the push sync pushes the change", async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    writeFiles(repo, { 'b/port.yml': domain('b') });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'b');

    const check = await runCli(argsOf('port-gitops:check'), {
      cwd: repo,
      env: { GITLAB_CI: 'true', CI_MERGE_REQUEST_DIFF_BASE_SHA: base },
    });
    expect(check.code).toBe(0);
    expect(readFileSync(join(repo, 'port-gitops.xml'), 'utf8')).toContain(
      '<testcase classname="port-gitops.check" name="b/port.yml"/>',
    );

    const port = await emulator();
    const sync = await runCli(argsOf('port-gitops:sync'), {
      cwd: repo,
      env: { GITLAB_CI: 'true', CI_COMMIT_BEFORE_SHA: base, ...syncEnv(port.url) },
    });
    expect(sync.code).toBe(0);
    expect(port.store.all().map((e) => e.identifier)).toEqual(['b']);
    expect(existsSync(join(repo, 'port-report.json'))).toBe(true);
  });
});
