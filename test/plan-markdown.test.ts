/**
 * The plan where reviewers look: `plan --markdown FILE` and, under GitHub Actions, the step summary. The
 * two examples in docs/ci.md are this test's real output (PORT_GITOPS_UPDATE_DOCS=1 writes them anew).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_BLUEPRINTS,
  REPO_ROOT,
  emulator,
  git,
  makeDir,
  makeRepo,
  runAction,
  runCli,
  syncEnv,
  writeFiles,
  CREDENTIALS,
} from './helpers.js';

const DOCS = join(REPO_ROOT, 'docs/ci.md');
const id = (i: number) => `svc-${String(i).padStart(4, '0')}`;
const service = (i: number, fields: { lifecycle?: string; tier?: number } = {}) =>
  [
    `identifier: ${id(i)}`,
    'blueprint: service',
    `title: Service ${i}`,
    'properties:',
    '  language: go',
    `  lifecycle: ${fields.lifecycle ?? 'experimental'}`,
    `  tier: ${fields.tier ?? 2}`,
    '',
  ].join('\n');

/** 2,000 services synced into the emulator from main; then a branch with `change` committed on it. */
async function planOf(count: number, change: Record<string, string | null>) {
  const files: Record<string, string> = {
    '.port/blueprints/service.json': readFileSync(join(EXAMPLE_BLUEPRINTS, 'service.json'), 'utf8'),
    '.port/blueprints/domain.json': readFileSync(join(EXAMPLE_BLUEPRINTS, 'domain.json'), 'utf8'),
    'port-gitops.config.json': JSON.stringify({ deleteRemoved: true }),
  };
  for (let i = 1; i <= count; i++) files[`services/${id(i)}/port.yml`] = service(i);
  const repo = makeRepo(files);
  const port = await emulator();
  expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
  git(repo, 'checkout', '-q', '-b', 'change');
  for (const [path, content] of Object.entries(change)) {
    if (content === null) git(repo, 'rm', '-q', path);
    else writeFiles(repo, { [path]: content });
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'the change');
  const markdown = join(makeDir({}), 'plan.md');
  const run = await runCli(['plan', '--base', 'main', '--markdown', markdown], { cwd: repo, env: syncEnv(port.url) });
  expect(run.code).toBe(0);
  return { text: readFileSync(markdown, 'utf8'), run, repo, port };
}

/** The example between `<!-- plan-example:NAME:start -->` and its end in docs/ci.md, and a way to rewrite it. */
function docsExample(name: string) {
  const docs = readFileSync(DOCS, 'utf8');
  const start = `<!-- plan-example:${name}:start -->\n`;
  const end = `<!-- plan-example:${name}:end -->`;
  const from = docs.indexOf(start) + start.length;
  const to = docs.indexOf(end);
  expect(from, `docs/ci.md has the ${name} example`).toBeGreaterThan(start.length - 1);
  return {
    text: docs.slice(from, to),
    write: (text: string) => writeFileSync(DOCS, docs.slice(0, from) + text + docs.slice(to)),
  };
}

/**
 * Commits differ from run to run (the range is the only place they show), and the docs' formatter aligns
 * the columns of tables: neither is a difference.
 */
const withoutShas = (text: string) =>
  text
    .replace(/<code>[0-9a-f]{8}\.\.[0-9a-f]{8}<\/code>/g, '<code>BASE..HEAD</code>')
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((cell) => cell.trim().replace(/^(:?)-+(:?)$/, '$1-$2'))
            .join('|')
        : line,
    )
    .join('\n');

function holdsDocsExample(name: string, text: string) {
  const example = docsExample(name);
  if (process.env.PORT_GITOPS_UPDATE_DOCS === '1') example.write(text);
  else expect(withoutShas(text)).toBe(withoutShas(example.text));
}

describe('the plan as Markdown', () => {
  it('lists a small change in full, each field change on its entity (the docs example)', async () => {
    const { text } = await planOf(2000, {
      [`services/${id(42)}/port.yml`]: service(42, { lifecycle: 'production', tier: 1 }),
    });
    expect(text).toMatch(/^### port-gitops plan: 1 to update\n/);
    expect(text).toContain(
      '| update | <code>service/svc-0042</code> | <code>services/svc-0042/port.yml</code> | <code>properties.lifecycle</code>: <code>"experimental"</code> → <code>"production"</code><br><code>properties.tier</code>: <code>2</code> → <code>1</code> |',
    );
    holdsDocsExample('one', text);
  });

  it('gives a large change its counts first, then each kind folded (the docs example)', async () => {
    const change: Record<string, string | null> = {};
    for (let i = 1; i <= 1995; i++) change[`services/${id(i)}/port.yml`] = service(i, { lifecycle: 'production' });
    for (const i of [1996, 1997]) change[`services/${id(i)}/port.yml`] = null;
    for (const i of [2001, 2002, 2003]) change[`services/${id(i)}/port.yml`] = service(i);
    const { text } = await planOf(2000, change);
    expect(text).toMatch(/^### port-gitops plan: 3 to create, 1,995 to update, 2 to delete\n/);
    expect(text).toContain('| <code>service</code> | 3 | 1,995 | 2 |');
    expect(text).toContain('| <code>properties.lifecycle</code> | 1,995 |');
    expect(text).toContain('<details><summary>1,995 updates</summary>');
    expect(text).toContain('| …and 1,945 more | | the JSON report (`--report`) lists every one |');
    expect(text.split('\n').filter((line) => line.startsWith('| <code>service/')).length).toBe(3 + 50 + 2);
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
    holdsDocsExample('many', text);
  });

  it('says in one line that nothing would change', async () => {
    const { text } = await planOf(3, { 'README.md': 'docs only\n' });
    expect(withoutShas(text)).toBe(
      '### port-gitops plan: no change in Port\n\nThe change <code>BASE..HEAD</code>: 0 entities in 0 files, 0 unchanged.\n',
    );
  });

  it('keeps text from files from breaking the Markdown or opening HTML', async () => {
    const hostile = 'a|b`</details><img src=x>\n## heading [link](http://x)';
    const { text } = await planOf(1, {
      [`services/${id(1)}/port.yml`]: `${service(1).replace('title: Service 1', `title: ${JSON.stringify(hostile)}`)}`,
    });
    const row = text.split('\n').find((line) => line.startsWith('| update'))!;
    // Five cells: the kind, the entity, the file, the changes; no pipe, tag or line break from the title.
    expect(row.split('|').length).toBe(6);
    expect(row).not.toMatch(/<img|<\/details>|\[link\]|\n/);
    expect(row).toContain('&#124;');
  });

  it('is the step summary of the Action on a pull request, and its `plan` output', async () => {
    const origin = join(makeDir({}), 'origin.git');
    const repo = makeRepo({
      '.port/blueprints/domain.json': readFileSync(join(EXAMPLE_BLUEPRINTS, 'domain.json'), 'utf8'),
      'a/port.yml': 'identifier: a\nblueprint: domain\n',
    });
    git(repo, 'clone', '-q', '--bare', repo, origin);
    git(repo, 'remote', 'add', 'origin', origin);
    git(repo, 'fetch', '-q', 'origin');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, { 'b/port.yml': 'identifier: b\nblueprint: domain\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'b');
    const port = await emulator();
    const dir = makeDir({});
    const outputs = join(dir, 'outputs');
    const summary = join(dir, 'summary.md');
    writeFileSync(outputs, '');
    const run = await runAction(
      repo,
      {
        command: 'plan',
        'client-id': CREDENTIALS.PORT_CLIENT_ID,
        'client-secret': CREDENTIALS.PORT_CLIENT_SECRET,
        'base-url': port.url,
      },
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_BASE_REF: 'main',
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: dir,
      },
    );
    expect(run.code).toBe(0);
    const stepSummary = readFileSync(summary, 'utf8');
    expect(stepSummary).toMatch(/^### port-gitops plan: 1 to create\n/);
    expect(stepSummary).toContain('| create | <code>domain/b</code> | <code>b/port.yml</code> |  |');
    const set = Object.fromEntries(
      readFileSync(outputs, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    );
    expect(readFileSync(set.plan!, 'utf8')).toBe(stepSummary);
    expect(port.store.entities()).toEqual([]);
  });
});
