import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, REPO_ROOT, emulator, git, makeDir, makeRepo, writeFiles } from './helpers.js';

/** Runs the action's entry point as the runner would: inputs as INPUT_*, the event in a file. */
function runAction(cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/action.mjs')], {
      cwd,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('the GitHub Action', () => {
  it('declares every input its entry point reads and every output it writes', () => {
    const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8'));
    const script = readFileSync(join(REPO_ROOT, 'scripts/action.mjs'), 'utf8');
    const step = action.runs.steps.find((s: { id?: string }) => s.id === 'run');
    for (const name of [...script.matchAll(/input\('([A-Z_]+)'\)|yes\('([A-Z_]+)'\)/g)].map((m) => m[1] ?? m[2])) {
      expect(step.env[`INPUT_${name}`], `INPUT_${name}`).toMatch(/^\$\{\{ inputs\.[a-z-]+ \}\}$/);
    }
    expect(Object.keys(action.outputs).sort()).toEqual([
      'deleted',
      'entities',
      'exit-code',
      'failed',
      'files',
      'invalid',
      'report',
      'upserted',
    ]);
  });

  it('syncs what a push changed, taking the base from the event, and sets the outputs', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    const before = git(repo, 'rev-parse', 'HEAD').trim();
    writeFiles(repo, {
      'b/port.yml': 'identifier: b\nblueprint: domain\n',
      'c/port.yml': 'identifier: c\nblueprint: domain\n',
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'two more');
    const dir = makeDir({});
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ before, repository: { default_branch: 'main' } }));
    const outputs = join(dir, 'outputs');
    writeFileSync(outputs, '');
    const port = await emulator();

    const run = await runAction(repo, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_OUTPUT: outputs,
      RUNNER_TEMP: dir,
      INPUT_COMMAND: 'sync',
      INPUT_BASE: '',
      INPUT_ALL: 'false',
      INPUT_CONFIG: '',
      PORT_CLIENT_ID: CREDENTIALS.PORT_CLIENT_ID,
      PORT_CLIENT_SECRET: CREDENTIALS.PORT_CLIENT_SECRET,
      PORT_BASE_URL: port.url,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(CREDENTIALS.PORT_CLIENT_SECRET);
    expect(
      port.store
        .all()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(['b', 'c']);
    const set = Object.fromEntries(
      readFileSync(outputs, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    );
    expect(set).toMatchObject({
      'exit-code': '0',
      files: '2',
      entities: '2',
      upserted: '2',
      deleted: '0',
      failed: '0',
      invalid: '0',
    });
    expect(JSON.parse(readFileSync(set.report!, 'utf8')).mode).toBe('changed');
  });

  it('checks a pull request without credentials and fails the step on an invalid file, with an annotation', async () => {
    const origin = join(makeDir({}), 'origin.git');
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    git(repo, 'clone', '-q', '--bare', repo, origin);
    git(repo, 'remote', 'add', 'origin', origin);
    git(repo, 'fetch', '-q', 'origin');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, { 'b/port.yml': 'identifier: not valid\nblueprint: domain\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'bad');
    const dir = makeDir({});
    const outputs = join(dir, 'outputs');
    writeFileSync(outputs, '');
    const run = await runAction(repo, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_BASE_REF: 'main',
      GITHUB_OUTPUT: outputs,
      RUNNER_TEMP: dir,
      INPUT_COMMAND: 'check',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error file=b/port.yml,line=1,col=13');
    expect(readFileSync(outputs, 'utf8')).toContain('invalid=1');
  });
});
