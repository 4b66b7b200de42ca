import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type CliRun,
  CREDENTIALS,
  EXAMPLE,
  EXAMPLE_BLUEPRINTS,
  REPO_ROOT,
  emulator,
  installCli,
  makeDir,
  makeRepo,
  packCli,
} from './helpers.js';

const cliPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));

/**
 * Runs an installed command with a clean environment (no Port settings of the caller), without blocking
 * this process: the emulator it talks to answers from here.
 */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, NO_COLOR: '1', npm_config_offline: 'true', ...env },
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

describe('the published package', () => {
  it('is one self-contained tarball: the bundle, a bin, engines, the schemas, license, README and changelog', () => {
    const files = execFileSync('tar', ['tzf', packCli()], { encoding: 'utf8' }).trim().split('\n').sort();
    for (const file of [
      'package/bin/port-gitops.mjs',
      'package/dist/port-gitops.mjs',
      'package/dist/THIRD-PARTY-LICENSES.txt',
      'package/schemas/config.schema.json',
      'package/schemas/entity-file.schema.json',
      'package/LICENSE',
      'package/README.md',
      'package/CHANGELOG.md',
      'package/package.json',
    ]) {
      expect(files).toContain(file);
    }
    // Only what runs: no sources, no type declarations, no source maps.
    expect(files.filter((f) => /\.(ts|map)$/.test(f))).toEqual([]);
    const manifest = JSON.parse(execFileSync('tar', ['xzfO', packCli(), 'package/package.json'], { encoding: 'utf8' }));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ 'port-gitops': 'bin/port-gitops.mjs' });
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.name).toBe('@port-gitops/cli');
    const licenses = execFileSync('tar', ['xzfO', packCli(), 'package/dist/THIRD-PARTY-LICENSES.txt'], {
      encoding: 'utf8',
    });
    for (const bundled of ['yargs@', 'ajv@', 'yaml@', 'p-limit@', 'simple-git@', 'jq-wasm@', 'Oniguruma', 'decNumber'])
      expect(licenses).toContain(bundled);
  });

  it('installs into an empty folder with no network, and checks and syncs a repository from there', async () => {
    const consumer = installCli();
    const bin = join(consumer, 'node_modules/.bin/port-gitops');
    expect((await run(bin, ['--version'], consumer)).stdout.trim()).toBe(cliPackage.version);

    const repo = makeRepo({});
    cpSync(EXAMPLE, repo, { recursive: true });
    execFileSync('git', ['add', '-A'], { cwd: repo });
    const check = await run(bin, ['check', '--all', '--format', 'json'], repo);
    expect(check.code).toBe(0);
    expect((JSON.parse(check.stdout) as Report).summary.entities).toBe(10);

    const port = await emulator({ blueprintsDir: EXAMPLE_BLUEPRINTS });
    const sync = await run(bin, ['sync', '--all'], repo, { ...CREDENTIALS, PORT_BASE_URL: port.url });
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('10 upserted');
    expect(port.store.entities()).toHaveLength(10);
    expect(sync.stdout + sync.stderr).not.toContain(CREDENTIALS.PORT_CLIENT_SECRET);

    // jq comes inside the bundle: a file-kind mapping runs from the installed package with nothing more.
    writeFileSync(
      join(repo, '.port/port-app-config.yml'),
      "resources:\n  - kind: file\n    selector: { query: 'true', files: [{ path: 'tools/*/package.json' }] }\n    port: { entity: { mappings: { identifier: .content.name, blueprint: '\"domain\"' } } }\n",
    );
    mkdirSync(join(repo, 'tools/lint'), { recursive: true });
    writeFileSync(join(repo, 'tools/lint/package.json'), '{"name": "lint-tools"}');
    execFileSync('git', ['add', '-A'], { cwd: repo });
    const mapped = await run(bin, ['check', '--all', '--format', 'json'], repo);
    expect((JSON.parse(mapped.stdout) as Report).entities.map((e) => e.identifier)).toContain('lint-tools');
  });
});

describe('the Node versions it supports', () => {
  it("are each tested by the CI workflow: the engines' floor, and the Action's runtime", () => {
    const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8'));
    const tested = (workflow.jobs.ci.strategy.matrix.node as Array<string | number>).map(String);
    const floor = /^>=(\d+\.\d+)$/.exec(cliPackage.engines.node)![1]!;
    expect(tested).toContain(floor);
    const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8'));
    expect(tested).toContain(/^node(\d+)$/.exec(action.runs.using)![1]);
  });
});

describe('npx port-gitops in this repository', () => {
  it('runs the local build, from the root and from a subfolder, right after npm ci and a build', async () => {
    const fromRoot = await run('npx', ['--no-install', 'port-gitops', '--version'], REPO_ROOT);
    expect(fromRoot.stdout.trim()).toBe(cliPackage.version);
    const fromExample = await run('npx', ['--no-install', 'port-gitops', 'check', '--all'], EXAMPLE);
    expect(fromExample.code).toBe(0);
    expect(fromExample.stdout).toContain('10 entities');
  });

  it('says to build when the bundle is not there, rather than failing obscurely', async () => {
    const copy = makeDir({});
    mkdirSync(join(copy, 'bin'));
    cpSync(join(REPO_ROOT, 'packages/cli/bin/port-gitops.mjs'), join(copy, 'bin/port-gitops.mjs'));
    const result = await run(process.execPath, [join(copy, 'bin/port-gitops.mjs'), '--version'], copy);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('run `npm run build`');
  });
});
