import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  type CliRun,
  REPO_ROOT,
  emulator,
  exampleBlueprints,
  git,
  installCli,
  makeRepo,
  packCli,
  runCli,
  syncEnv,
  writeFiles,
} from './helpers.js';

/** npx installs the package into its cache: a fresh one, so nothing from an earlier run is used. */
const npmCache = mkdtempSync(join(tmpdir(), 'port-gitops-npm-cache-'));
process.once('exit', () => rmSync(npmCache, { recursive: true, force: true }));

const domain = (id: string) => `identifier: ${id}\nblueprint: domain\n`;

describe('the pre-commit hook', () => {
  const [hook, backstageHook] = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{
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
    ];
    expect(matched.filter((p) => pattern.test(p))).toEqual([
      'port.yml',
      'a/port.yaml',
      'b/port.json',
      'legacy/entity.json',
      'c/db.port.yml',
    ]);
    // The Backstage hook passes catalog files too: only a config with a "backstage" mapping reads them.
    expect(matched.filter((p) => new RegExp(backstageHook!.files).test(p))).toEqual([
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
    const repo = makeRepo({
      ...exampleBlueprints(),
      'a/port.yml': domain('a'),
      'broken/port.yml': 'identifier: [not committed yet',
    });
    writeFiles(repo, {
      'b/port.yml': domain('b'),
      'c/port.yml': 'identifier: bad id\nblueprint: domain\n',
      'notes.txt': 'x',
    });
    git(repo, 'add', 'b/port.yml', 'c/port.yml', 'notes.txt');
    const staged = git(repo, 'diff', '--cached', '--name-only').trim().split('\n');
    const good = await runCli(['check', 'b/port.yml'], { cwd: repo });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('1 file · 1 entity');
    // A named file that is not an entity file is never dropped in silence: it is refused, and the run fails.
    const named = await runCli(['check', 'b/port.yml', 'notes.txt'], { cwd: repo });
    expect(named.code).toBe(1);
    expect(named.stdout).toContain(
      'notes.txt:1:1 refused: not an entity file: it matches none of the config\'s "include" globs',
    );
    const all = await runCli(['check', ...staged, '--format', 'json'], { cwd: repo });
    expect(all.code).toBe(1);
    expect(JSON.parse(all.stdout).errors.map((e: { file: string }) => e.file)).toEqual(['c/port.yml', 'notes.txt']);
    // From a subfolder, paths are taken relative to it, as pre-commit gives them from the root.
    expect((await runCli(['check', 'port.yml'], { cwd: join(repo, 'b') })).stdout).toContain('1 file · 1 entity');
  });

  it('runs its entry with the port-gitops a repository installs from the package, as pre-commit does', async () => {
    const repo = installCli();
    writeFiles(repo, { 'a/port.yml': domain('a'), 'c/port.yml': 'identifier: bad id\nblueprint: domain\n' });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', 'a/port.yml', 'c/port.yml');
    const staged = git(repo, 'diff', '--cached', '--name-only').trim().split('\n');
    const run = await shell(`${hook!.entry} ${staged.join(' ')}`, repo, {});
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('c/port.yml:1:13');
    expect(run.stdout).toContain('2 files · 2 entities');
  });
});

describe('the GitLab CI template', () => {
  const template = parse(readFileSync(join(REPO_ROOT, 'templates/gitlab/port-gitops.gitlab-ci.yml'), 'utf8')) as Record<
    string,
    { script?: string[]; rules?: Array<{ if: string }>; extends?: string; resource_group?: string }
  >;
  const base = template['.port-gitops'] as unknown as { image: string; variables: Record<string, string | number> };

  it('runs check on merge requests and one sync at a time on the default branch, with the history they need', () => {
    expect(template['port-gitops:check']!.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(template['port-gitops:sync']!.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect(template['port-gitops:sync']!.resource_group).toBe('port-gitops-sync');
    expect(base.variables.GIT_DEPTH).toBe(0);
  });

  it('pins the released package on a current Node image', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));
    expect(base.variables.PORT_GITOPS_PACKAGE).toBe(`@port-gitops/cli@${version}`);
    expect(base.image).toBe('node:24');
  });

  it("its scripts work with GitLab's variables: the merge request check writes JUnit, the push sync pushes the change", async () => {
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    const before = git(repo, 'rev-parse', 'HEAD').trim();
    writeFiles(repo, { 'b/port.yml': domain('b') });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'b');
    // The pinned version is not on a registry these tests can reach: the same package, packed from here.
    const variables = { ...base.variables, PORT_GITOPS_PACKAGE: packCli(), GIT_DEPTH: '0' } as Record<string, string>;

    const check = await shell(template['port-gitops:check']!.script!.join('\n'), repo, {
      ...variables,
      GITLAB_CI: 'true',
      CI_MERGE_REQUEST_DIFF_BASE_SHA: before,
    });
    expect(check.code).toBe(0);
    expect(readFileSync(join(repo, 'port-gitops.xml'), 'utf8')).toContain(
      '<testcase classname="port-gitops.check" name="b/port.yml"/>',
    );

    const port = await emulator();
    const sync = await shell(template['port-gitops:sync']!.script!.join('\n'), repo, {
      ...variables,
      GITLAB_CI: 'true',
      CI_COMMIT_BEFORE_SHA: before,
      ...syncEnv(port.url),
    });
    expect(sync.code).toBe(0);
    expect(port.store.entities().map((e) => e.identifier)).toEqual(['b']);
    expect(existsSync(join(repo, 'port-report.json'))).toBe(true);
  });
});

/** A CI script, as a runner runs it: bash, a clean environment plus the job's variables, no network for npm. */
function shell(script: string, cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
      cwd,
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        NO_COLOR: '1',
        npm_config_offline: 'true',
        npm_config_cache: npmCache,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
