import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CREDENTIALS, REPO_ROOT, emulator, git, makeDir, makeRepo, runAction, runCli, writeFiles } from './helpers.js';

describe('port-gitops init', () => {
  it('writes a starter setup that checks clean, and never overwrites a file', async () => {
    const repo = makeRepo({});
    const first = await runCli(['init'], { cwd: repo });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created  port-gitops.config.json');
    expect(first.stdout).toContain('created  .github/workflows/port-gitops.yml');

    const check = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(check.code).toBe(0);
    const report = JSON.parse(check.stdout) as Report;
    expect(report.entities.map((e) => `${e.blueprint}/${e.identifier}`)).toEqual(['service/example-service']);
    expect(report.errors).toEqual([]);

    writeFileSync(join(repo, 'port-gitops.config.json'), '{"include": ["**/mine.yml"]}\n');
    const second = await runCli(['init'], { cwd: repo });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('kept     port-gitops.config.json (it exists; init never overwrites)');
    expect(readFileSync(join(repo, 'port-gitops.config.json'), 'utf8')).toBe('{"include": ["**/mine.yml"]}\n');
  });
});

/** The `${{ }}` expressions init's workflow uses, evaluated as the runner would for one event. */
function evaluate(value: string, context: { event: string; secrets: Record<string, string> }): string {
  return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    const secret = /^secrets\.(\w+)$/.exec(expression);
    if (secret) return context.secrets[secret[1]!] ?? '';
    const event = /^github\.event_name == '(\w+)'$/.exec(expression);
    if (event) return String(context.event === event[1]);
    throw new Error(`no evaluation for \${{ ${expression} }}`);
  });
}

describe("init's GitHub workflow", () => {
  it('pins the Action and current actions, serializes syncs, and its steps check a pull request and sync a push', async () => {
    const repo = makeRepo({});
    await runCli(['init'], { cwd: repo });
    const workflow = parse(readFileSync(join(repo, '.github/workflows/port-gitops.yml'), 'utf8'));
    const steps = (job: string) => workflow.jobs[job].steps as Array<{ uses: string; with?: Record<string, unknown> }>;
    // docs/ci.md shows the same workflow.
    const written = readFileSync(join(repo, '.github/workflows/port-gitops.yml'), 'utf8');
    expect(readFileSync(join(REPO_ROOT, 'docs/ci.md'), 'utf8')).toContain(`\`\`\`yaml\n${written}\`\`\``);
    for (const job of ['check', 'plan', 'sync']) {
      const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));
      const major = `v${version.split('.')[0]}`;
      expect(steps(job).map((s) => s.uses)).toEqual(['actions/checkout@v6', `port-gitops/port-gitops@${major}`]);
      expect(steps(job)[0]!.with).toEqual({ 'fetch-depth': 0 });
    }
    expect(workflow.jobs.sync.concurrency['cancel-in-progress']).toBe(false);
    expect(workflow.jobs.check.if).toBe("github.event_name == 'pull_request'");
    // The plan reads Port with the secrets: only for pull requests from the repository's own branches.
    expect(workflow.jobs.plan.if).toBe(
      "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
    );

    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    const before = git(repo, 'rev-parse', 'HEAD').trim();
    writeFiles(repo, {
      'services/second/port.yml': 'identifier: second\nblueprint: service\ntitle: Second\nteam: platform\n',
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'second service');
    const dir = makeDir({ 'event.json': JSON.stringify({ before, repository: { default_branch: 'main' } }) });
    // init writes no blueprint definitions: the emulator knows a service blueprint that takes any properties.
    const port = await emulator({
      blueprintsDir: undefined,
      blueprints: [{ identifier: 'service', schema: { properties: {} } }],
    });
    const inputsOf = (job: string, event: string) =>
      Object.fromEntries(
        Object.entries(steps(job)[1]!.with ?? {}).map(([name, value]) => [
          name,
          evaluate(String(value), {
            event,
            secrets: { PORT_CLIENT_ID: 'id', PORT_CLIENT_SECRET: CREDENTIALS.PORT_CLIENT_SECRET },
          }),
        ]),
      );
    const sync = await runAction(
      repo,
      { ...inputsOf('sync', 'push'), 'base-url': port.url },
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        RUNNER_TEMP: dir,
      },
    );
    expect(sync.code).toBe(0);
    expect(port.store.entities().map((e) => e.identifier)).toEqual(['second']);

    // The plan job's step on a pull request that changes the second service: its plan is the step summary.
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, {
      'services/second/port.yml': 'identifier: second\nblueprint: service\ntitle: Second, renamed\nteam: platform\n',
    });
    git(repo, 'commit', '-q', '-am', 'rename');
    const summary = join(dir, 'summary.md');
    const planned = await runAction(
      repo,
      { ...inputsOf('plan', 'pull_request'), 'base-url': port.url },
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_BASE_REF: 'main',
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: dir,
      },
    );
    expect(planned.code).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/^### port-gitops plan: 1 to update\n/);
  });
});
