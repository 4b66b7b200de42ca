import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@port-gitops/emulator';
import { afterEach } from 'vitest';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(REPO_ROOT, 'packages/cli/dist/port-gitops.mjs');
export const EXAMPLE = join(REPO_ROOT, 'examples/monorepo');
export const EXAMPLE_BLUEPRINTS = join(EXAMPLE, '.port/blueprints');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** The example's blueprint definitions, as files for makeRepo: a repository set up as docs/config.md says. */
export function exampleBlueprints(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(EXAMPLE_BLUEPRINTS).map((name) => [
      `.port/blueprints/${name}`,
      readFileSync(join(EXAMPLE_BLUEPRINTS, name), 'utf8'),
    ]),
  );
}

/** A temporary folder with these files, removed after the test. */
export function makeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'port-gitops-test-'));
  // Retried: a git process a test started (a detached auto gc) may still be writing into it.
  cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A real git repository holding these files in one commit. */
export function makeRepo(files: Record<string, string>): string {
  const dir = makeDir(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial', '--allow-empty');
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      // No detached auto gc: it would still be writing into the repository when the test removes it.
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'gc.auto',
      GIT_CONFIG_VALUE_0: '0',
    },
  });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, with an environment free of the caller's Port settings. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('PORT_') && !key.startsWith('GITHUB_') && !key.startsWith('CI_'))
      env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...env, NO_COLOR: '1', ...options.env },
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

/** A real emulator on a free loopback port, closed after the test. */
/** The example's teams, as `teams pull` saved them: the emulator starts with them unless told otherwise. */
const EXAMPLE_TEAMS = join(EXAMPLE, '.port/teams.json');
/** The team names of a teams file as `teams pull` writes it. */
export const teamsIn = (file: string): string[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { teams: Array<{ identifier: string }> }).teams.map(
    (team) => team.identifier,
  );

export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const running = await startEmulator({
    port: 0,
    blueprintsDir: EXAMPLE_BLUEPRINTS,
    teams: teamsIn(EXAMPLE_TEAMS),
    ...options,
  });
  cleanups.push(() => running.close());
  return running;
}

/**
 * An entity written into the emulator by another writer than port-gitops (a UI edit, another
 * integration): straight into its store, as Port holds it, validated against the blueprint.
 */
export function writtenElsewhere(port: RunningEmulator, blueprint: string, entity: Record<string, unknown>): void {
  port.store.write(blueprint, entity, {
    upsert: true,
    merge: false,
    validationOnly: false,
    createMissingRelated: false,
    actor: 'other',
  });
}

/** Reads from an emulator through its HTTP API, as any Port client would. */
export async function apiGet<T = Record<string, unknown>>(
  url: string,
  path: string,
): Promise<{ status: number; body: T }> {
  const token = (await (
    await fetch(`${url}/v1/auth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'reader', clientSecret: 'reader-secret' }),
    })
  ).json()) as { accessToken: string };
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token.accessToken}` } });
  return { status: response.status, body: (await response.json()) as T };
}

export const CREDENTIALS = { PORT_CLIENT_ID: 'test-client', PORT_CLIENT_SECRET: 's3cr3t-Do-Not-Print-9f8e7d' };

export function syncEnv(url: string): Record<string, string> {
  return { ...CREDENTIALS, PORT_BASE_URL: url };
}

/**
 * The CLI as npm would publish it: `npm pack` of the built package, into a temporary folder outside the
 * repository. Once per test file.
 */
let packed: string | undefined;
export function packCli(): string {
  if (packed) return packed;
  const dir = mkdtempSync(join(tmpdir(), 'port-gitops-pack-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const name = execFileSync('npm', ['pack', '--silent', '--workspace', '@port-gitops/cli', '--pack-destination', dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).trim();
  packed = join(dir, name.split('\n').pop()!);
  return packed;
}

/** `npm install` of the packed CLI into a new folder outside the repository, with no network. */
export function installCli(): string {
  const dir = makeDir({ 'package.json': '{ "name": "consumer", "private": true }' });
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', packCli()], { cwd: dir });
  return dir;
}

/**
 * Runs the GitHub Action's bundle as the runner does: every input declared in action.yml as INPUT_<NAME>
 * (upper case, hyphens kept), its default unless `inputs` sets it, and the job's environment. The bundle is
 * copied alone into an empty folder: it must need nothing else.
 */
export function runAction(cwd: string, inputs: Record<string, string>, env: Record<string, string>): Promise<CliRun> {
  const action = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; main: string };
  };
  const alone = makeDir({});
  const entry = join(alone, 'action.mjs');
  copyFileSync(join(REPO_ROOT, action.runs.main), entry);
  const given: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    given[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? '';
  }
  for (const name of Object.keys(inputs))
    if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...given, ...env },
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
