import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CodeHost, startCodeHost } from './code-host.js';
import {
  CREDENTIALS,
  emulator,
  exampleBlueprints,
  git,
  makeDir,
  makeRepo,
  runAction,
  runCli,
  syncEnv,
  writeFiles,
} from './helpers.js';

const MARKER = '<!-- port-gitops plan -->';
const domain = (id: string, description: string) =>
  `identifier: ${id}\nblueprint: domain\ntitle: T\nproperties:\n  description: ${JSON.stringify(description)}\n`;

const hosts: CodeHost[] = [];
afterEach(async () => {
  while (hosts.length) await hosts.pop()!.close();
});
async function host(tokens: Record<string, 'write' | 'read'>) {
  const started = await startCodeHost(tokens);
  hosts.push(started);
  return started;
}

function commit(repo: string, message: string) {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

/** The environment of a GitHub Actions job for pull request #7 of acme/monorepo (or from `head`, a fork). */
function github(apiUrl: string, token: string, head = 'acme/monorepo'): Record<string, string> {
  const dir = makeDir({});
  const event = join(dir, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: { number: 7, head: { repo: { full_name: head } }, base: { repo: { full_name: 'acme/monorepo' } } },
    }),
  );
  const summary = join(dir, 'summary.md');
  writeFileSync(summary, '');
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/monorepo',
    GITHUB_API_URL: apiUrl,
    GITHUB_TOKEN: token,
    GITHUB_STEP_SUMMARY: summary,
  };
}

describe('plan --comment: the plan as one pull request comment', () => {
  it('comments a pull request that changes only a managed blueprint, with the blueprint table', async () => {
    const files = exampleBlueprints();
    const repo = makeRepo({ ...files, 'port-gitops.config.json': JSON.stringify({ manageBlueprints: ['domain'] }) });
    const port = await emulator();
    const code = await host({ 'ghs-write-token': 'write' });
    const env = { ...syncEnv(port.url), ...github(code.url, 'ghs-write-token') };
    const definition = JSON.parse(files['.port/blueprints/domain.json']!) as { icon?: string };
    definition.icon = 'Globe';
    writeFiles(repo, { '.port/blueprints/domain.json': JSON.stringify(definition) });
    commit(repo, 'new icon');
    const run = await runCli(['plan', '--base', 'HEAD~1', '--comment'], { cwd: repo, env });
    expect(run.stderr).toContain('comment is created');
    const ours = code.comments.get('acme/monorepo#7')!.filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain('### port-gitops plan: 1 blueprint change');
    expect(ours[0]!.body).toContain('| <code>domain</code> | <code>icon</code> | safe |');
  });

  it('creates one comment, edits it in place on each run, reduces it when nothing changes, and leaves others alone', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a', 'one') });
    const port = await emulator();
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    const code = await host({ 'ghs-write-token': 'write' });
    // Another tool's comment, and a reply quoting port-gitops' marker: neither is ever edited.
    code.comments.set('acme/monorepo#7', [
      { id: 1, body: 'Deploy preview ready', author: 'other-bot' },
      { id: 2, body: `> ${MARKER}\n> quoted by a reviewer`, author: 'reviewer' },
    ]);
    const env = { ...syncEnv(port.url), ...github(code.url, 'ghs-write-token') };
    const plan = () => runCli(['plan', '--base', 'HEAD~1', '--comment'], { cwd: repo, env });

    writeFiles(repo, { 'a/port.yml': domain('a', 'two'), 'b/port.yml': domain('b', 'new') });
    commit(repo, 'first push');
    const first = await plan();
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("note: the plan's pull request comment is created");
    let ours = code.comments.get('acme/monorepo#7')!.filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain('1 to create, 1 to update');

    writeFiles(repo, { 'c/port.yml': domain('c', 'another') });
    commit(repo, 'second push');
    expect((await plan()).stderr).toContain('comment is updated');
    ours = code.comments.get('acme/monorepo#7')!.filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain('1 to create');
    expect(ours[0]!.body).toContain('domain/c');

    // The third push changes nothing in Port: the same comment now says so.
    writeFiles(repo, { 'README.md': 'docs only' });
    commit(repo, 'third push');
    expect((await plan()).code).toBe(0);
    const all = code.comments.get('acme/monorepo#7')!;
    expect(all.map((c) => c.id)).toEqual([1, 2, ours[0]!.id]);
    expect(all[2]!.body).toContain('no change in Port');
    expect(all[0]!.body).toBe('Deploy preview ready');
    expect(all[1]!.body).toBe(`> ${MARKER}\n> quoted by a reviewer`);
    // The token went to the code host only, and only as its Authorization header.
    expect(code.requests.every((r) => r.authorization === 'Bearer ghs-write-token')).toBe(true);
  });

  it('the Action with comment: true, run on three pushes, leaves one comment holding the latest plan', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a', 'one') });
    const port = await emulator();
    const code = await host({ 'ghs-action-token': 'write' });
    const runOnce = async () => {
      const { GITHUB_TOKEN: _token, ...env } = github(code.url, 'unused');
      const run = await runAction(
        repo,
        {
          command: 'plan',
          base: 'HEAD~1',
          comment: 'true',
          'github-token': 'ghs-action-token',
          'client-id': CREDENTIALS.PORT_CLIENT_ID,
          'client-secret': CREDENTIALS.PORT_CLIENT_SECRET,
          'base-url': port.url,
        },
        env,
      );
      expect(run.code).toBe(0);
      return code.comments.get('acme/monorepo#7') ?? [];
    };
    writeFiles(repo, { 'b/port.yml': domain('b', 'new') });
    commit(repo, 'first');
    expect((await runOnce()).map((c) => c.body)).toEqual([expect.stringContaining('domain/b')]);
    writeFiles(repo, { 'c/port.yml': domain('c', 'new') });
    commit(repo, 'second');
    const second = await runOnce();
    expect(second).toHaveLength(1);
    expect(second[0]!.body).toContain('domain/c');
    expect(second[0]!.body).not.toContain('domain/b');
    writeFiles(repo, { 'README.md': 'docs' });
    commit(repo, 'third');
    const third = await runOnce();
    expect(third).toHaveLength(1);
    expect(third[0]!.body).toContain('no change in Port');
  });

  it('never fails the run: a fork, a read-only token and an unreachable API each leave a note and the summary', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a', 'one') });
    const port = await emulator();
    writeFiles(repo, { 'b/port.yml': domain('b', 'new') });
    commit(repo, 'change');
    const code = await host({ 'read-only': 'read', 'ghs-write-token': 'write' });

    const forkEnv = { ...syncEnv(port.url), ...github(code.url, 'ghs-write-token', 'someone/monorepo') };
    const fork = await runCli(['plan', '--base', 'HEAD~1', '--comment'], { cwd: repo, env: forkEnv });
    expect(fork.code).toBe(0);
    expect(fork.stderr).toContain('no pull request comment was written: the pull request comes from a fork');
    expect(code.requests).toEqual([]);
    const summary = readFileSync(forkEnv.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(summary).toContain('port-gitops plan: 1 to create');
    expect(summary).toContain('No pull request comment: the pull request comes from a fork');

    const readOnly = await runCli(['plan', '--base', 'HEAD~1', '--comment'], {
      cwd: repo,
      env: { ...syncEnv(port.url), ...github(code.url, 'read-only') },
    });
    expect(readOnly.code).toBe(0);
    expect(readOnly.stderr).toMatch(/answered 403: Resource not accessible by integration .*pull-requests: write/);
    expect(readOnly.stderr).not.toContain('read-only');

    const closed = await startCodeHost({});
    await closed.close();
    const down = await runCli(['plan', '--base', 'HEAD~1', '--comment'], {
      cwd: repo,
      env: { ...syncEnv(port.url), ...github(closed.url, 'ghs-write-token') },
    });
    expect(down.code).toBe(0);
    expect(down.stderr).toContain('could not reach the API');
    expect(down.stderr).not.toContain('ghs-write-token');
  });

  it("writes the counts alone when the plan is longer than GitHub's limit, and says where the rest is", async () => {
    const files: Record<string, string> = {};
    const folder = 'f'.repeat(200);
    for (let i = 0; i < 80; i++) files[`s${i}/${folder}/${folder}/port.yml`] = domain(`${'x'.repeat(900)}-${i}`, 'new');
    const repo = makeRepo({ 'README.md': 'x' });
    writeFiles(repo, files);
    commit(repo, 'eighty services with long identifiers');
    const port = await emulator();
    const code = await host({ t: 'write' });
    const run = await runCli(['plan', '--base', 'HEAD~1', '--comment'], {
      cwd: repo,
      env: { ...syncEnv(port.url), ...github(code.url, 't') },
    });
    expect(run.code).toBe(0);
    const [comment] = code.comments.get('acme/monorepo#7')!;
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toContain('80 to create');
    expect(comment!.body).toContain("too long for a GitHub comment: these are its counts; this job's step summary");
  });

  it('keeps what a file holds from breaking out of the Markdown, mentioning anyone, or closing the marker', async () => {
    const repo = makeRepo({ 'README.md': 'x' });
    writeFiles(repo, { '@acme/platform-team --> <b>x</b>/port.yml': domain('mention', '@someone --> `code`') });
    commit(repo, 'hostile names');
    const port = await emulator();
    const code = await host({ t: 'write' });
    await runCli(['plan', '--base', 'HEAD~1', '--comment'], {
      cwd: repo,
      env: { ...syncEnv(port.url), ...github(code.url, 't') },
    });
    const [comment] = code.comments.get('acme/monorepo#7')!;
    expect(comment!.body.startsWith(MARKER)).toBe(true);
    expect(comment!.body.slice(MARKER.length)).not.toMatch(/-->|<!--|<b>|@acme|@someone/);
    expect(comment!.body).toContain('@&#8203;acme/platform-team');
  });

  it('keeps one GitLab merge request note with a token the user gives, and says why a job token cannot', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a', 'one') });
    const port = await emulator();
    writeFiles(repo, { 'b/port.yml': domain('b', 'new') });
    commit(repo, 'change');
    const code = await host({ 'glpat-write': 'write' });
    const gitlab = {
      ...syncEnv(port.url),
      GITLAB_CI: 'true',
      CI_API_V4_URL: `${code.url}/api/v4`,
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '3',
    };
    const noToken = await runCli(['plan', '--base', 'HEAD~1', '--comment'], { cwd: repo, env: gitlab });
    expect(noToken.code).toBe(0);
    expect(noToken.stderr).toContain('no GITLAB_TOKEN: a CI job token cannot write merge request notes');
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['plan', '--base', 'HEAD~1', '--comment'], {
        cwd: repo,
        env: { ...gitlab, GITLAB_TOKEN: 'glpat-write' },
      });
      expect(result.code).toBe(0);
    }
    const notes = code.comments.get('42!3')!;
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('1 to create');
    expect(code.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
    expect(code.requests.every((r) => r.privateToken === 'glpat-write')).toBe(true);
  });
});
