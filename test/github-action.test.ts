import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CREDENTIALS, REPO_ROOT, emulator, git, makeDir, makeRepo, runAction, writeFiles } from './helpers.js';

describe('the GitHub Action', () => {
  it('is a node24 action whose bundle reads only inputs it declares, and declares the outputs it writes', () => {
    const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: 'packages/cli/dist/action.mjs' });
    const source = readFileSync(join(REPO_ROOT, 'packages/cli/src/action.ts'), 'utf8');
    const read = [...source.matchAll(/(?:input\(env, |yes\()'([a-z-]+)'\)|\['([a-z-]+)', 'PORT_/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect(read.length).toBeGreaterThan(5);
    for (const name of read) expect(Object.keys(action.inputs)).toContain(name);
    expect(Object.keys(action.outputs).sort()).toEqual([
      'deleted',
      'entities',
      'exit-code',
      'failed',
      'files',
      'invalid',
      'plan',
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

    const summary = join(dir, 'summary.md');
    const run = await runAction(
      repo,
      {
        command: 'sync',
        'client-id': CREDENTIALS.PORT_CLIENT_ID,
        'client-secret': CREDENTIALS.PORT_CLIENT_SECRET,
        'base-url': port.url,
      },
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: event,
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: dir,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(CREDENTIALS.PORT_CLIENT_SECRET);
    expect(readFileSync(summary, 'utf8')).toContain('### port-gitops sync');
    expect(
      port.store
        .entities()
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
    const run = await runAction(
      repo,
      { command: 'check' },
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_BASE_REF: 'main',
        GITHUB_OUTPUT: outputs,
        RUNNER_TEMP: dir,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error file=b/port.yml,line=1,col=13');
    expect(readFileSync(outputs, 'utf8')).toContain('invalid=1');
  });
});
