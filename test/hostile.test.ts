import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { emulator, exampleBlueprints, git, makeDir, makeRepo, runCli, syncEnv, writeFiles } from './helpers.js';

const domain = (id: string) => `identifier: ${id}\nblueprint: domain\n`;
const report = (stdout: string) => JSON.parse(stdout) as Report;

/** Hostile and odd input, end to end: nothing dropped, altered or stuck without a word (issue classes). */
describe('files that are not where, or what, they seem', () => {
  it('finds entity files in hidden folders, with --all and when named', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'port-gitops.config.json': JSON.stringify({ include: ['**/port.yml', '**/.port/entity.json'] }),
      '.port/entity.json': JSON.stringify({ identifier: 'hidden', blueprint: 'domain' }),
      'svc/.backstage/port.yml': domain('deeper'),
    });
    const all = report((await runCli(['check', '--all', '--format', 'json'], { cwd: repo })).stdout);
    expect(all.files.map((f) => `${f.path} ${f.outcome}`)).toEqual([
      '.port/entity.json loaded',
      'svc/.backstage/port.yml loaded',
    ]);
    const named = await runCli(['check', '.port/entity.json'], { cwd: repo });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('1 file · 1 entity');
  });

  it('refuses a named file it will not check, with the reason, and fails; an excluded one is skipped, said so', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'port-gitops.config.json': JSON.stringify({ exclude: ['**/fixtures/**'] }),
      'a/port.yml': domain('a'),
      'fixtures/port.yml': domain('fixture'),
      'notes.md': '# notes',
    });
    const refused = await runCli(['check', 'a/port.yml', 'notes.md', 'gone/port.yml', '--format', 'json'], {
      cwd: repo,
    });
    expect(refused.code).toBe(1);
    expect(report(refused.stdout).files.map((f) => `${f.path} ${f.outcome}: ${f.reason ?? ''}`)).toEqual([
      'a/port.yml loaded: ',
      'gone/port.yml refused: does not exist',
      `notes.md refused: not an entity file: it matches none of the config's "include" globs (${'**/port.json, **/port.yml, **/port.yaml, **/entity.json, **/*.port.json, **/*.port.yml, **/*.port.yaml'})`,
    ]);
    const skipped = await runCli(['check', 'a/port.yml', 'fixtures/port.yml'], { cwd: repo });
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('skipped 1 file: excluded by the config\'s "exclude": **/fixtures/**');
    expect((await runCli(['check', 'a/port.yml', 'fixtures/port.yml', '--verbose'], { cwd: repo })).stdout).toContain(
      'skipped fixtures/port.yml (excluded by the config\'s "exclude": **/fixtures/**)',
    );
  });

  it('refuses a named file reached through a linked folder, and skips one inside a nested repository, saying why', async () => {
    const outside = makeDir({ 'port.yml': 'identifier: ghp_SECRETTOKENVALUE\nblueprint: domain\n' });
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    symlinkSync(outside, join(repo, 'linked'));
    const nested = join(repo, 'vendor/other');
    mkdirSync(nested, { recursive: true });
    git(nested, 'init', '-q');
    writeFiles(nested, { 'port.yml': domain('theirs') });
    const run = await runCli(['check', 'a/port.yml', 'linked/port.yml', 'vendor/other/port.yml', '--format', 'json'], {
      cwd: repo,
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain('SECRETTOKENVALUE');
    expect(report(run.stdout).files.map((f) => `${f.path} ${f.outcome}: ${f.reason ?? ''}`)).toEqual([
      'a/port.yml loaded: ',
      expect.stringMatching(/^linked\/port\.yml refused: reached through linked, a symbolic link/),
      expect.stringMatching(
        /^vendor\/other\/port\.yml skipped: inside vendor\/other, a git submodule or nested repository/,
      ),
    ]);
  });

  it('refuses an entity file whose name is not UTF-8, saying so rather than that it is missing', async () => {
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    const folder = Buffer.concat([Buffer.from(`${repo}/bad`), Buffer.from([0xff])]);
    mkdirSync(folder);
    writeFileSync(Buffer.concat([folder, Buffer.from('/port.yml')]), domain('b'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a name that is not UTF-8');
    const run = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(report(run.stdout).files.map((f) => `${f.path} ${f.outcome}`)).toEqual([
      'a/port.yml loaded',
      'bad\uFFFD/port.yml refused',
    ]);
    expect(report(run.stdout).errors[0]!.message).toMatch(/the file name is not valid UTF-8/);
  });

  it('never reads an entity file that is a link out of the repository, with --all or --base, nor prints what it holds', async () => {
    const outside = makeDir({ 'token.yml': 'identifier: ghp_SECRETTOKENVALUE\nblueprint: domain\n' });
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    mkdirSync(join(repo, 'b'));
    symlinkSync(join(outside, 'token.yml'), join(repo, 'b/port.yml'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'link');
    const port = await emulator();
    for (const selection of [['--all'], ['--base', base]]) {
      const run = await runCli(['sync', ...selection, '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
      expect(run.code, selection.join(' ')).toBe(1);
      expect(run.stdout + run.stderr).not.toContain('SECRETTOKENVALUE');
      const file = report(run.stdout).files.find((f) => f.path === 'b/port.yml')!;
      expect(file.outcome).toBe('refused');
      expect(file.reason).toMatch(/symbolic link/);
    }
    expect(port.store.entities().map((e) => e.identifier)).toEqual(['a']);
  });

  it('says that a folder behind a link is not searched, inside git and outside it', async () => {
    const outside = makeDir({ 'svc/port.yml': domain('beyond') });
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    symlinkSync(outside, join(repo, 'services'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a linked folder');
    const plain = makeDir({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    symlinkSync(outside, join(plain, 'services'));
    for (const root of [repo, plain]) {
      const run = await runCli(['check', '--all', '--format', 'json'], { cwd: root });
      expect(run.code).toBe(0);
      expect(report(run.stdout).files.map((f) => f.path)).toEqual(['a/port.yml']);
      expect(report(run.stdout).notes).toContain(
        'services is a symbolic link to a folder: links are never followed, so no entity file beneath it is searched',
      );
    }
  });

  it('refuses at once a file:// target that is a FIFO, rather than waiting on it forever', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'svc/port.yml':
        'identifier: svc\nblueprint: service\nproperties:\n  language: go\n  lifecycle: production\n  readme: file://./pipe.md\n',
    });
    execFileSync('mkfifo', [join(repo, 'svc/pipe.md')]);
    const started = performance.now();
    const run = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(report(run.stdout).errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '6:11 "file://./pipe.md": svc/pipe.md is not a regular file',
    ]);
  });

  it('does not push entities of a submodule, and list says it is not searched', async () => {
    const inner = makeRepo({ 'port.yml': domain('from-submodule') });
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner, 'vendor/inner');
    git(repo, 'commit', '-qm', 'submodule');
    const list = await runCli(['list', '--all'], { cwd: repo });
    expect(list.stderr).toContain(
      'note: vendor/inner is a git submodule: its entity files belong to its own repository and are not searched',
    );
    const port = await emulator();
    const run = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(0);
    expect(port.store.entities().map((e) => e.identifier)).toEqual(['a']);
  });
});

describe('a config that points somewhere it should not', () => {
  const config = (text: string) => makeRepo({ 'port-gitops.config.json': text, 'a/port.yml': domain('a') });

  it('refuses a schema outside the repository without reading it, a missing blueprintsDir, and a bad rule', async () => {
    const secret = join(makeDir({ 'schema.json': '{"not": "shown"' }), 'schema.json');
    const cases: Array<[string, string]> = [
      [`{\n  "schema": ${JSON.stringify(secret)}\n}\n`, 'port-gitops.config.json:2:13: "schema" names'],
      [
        '{\n  "schema": "../../etc/passwd"\n}\n',
        'port-gitops.config.json:2:13: "schema" names ../../etc/passwd, which is outside the repository',
      ],
      [
        '{\n  "blueprintsDir": ".port/blueprint"\n}\n',
        'port-gitops.config.json:2:20: "blueprintsDir" names .port/blueprint, which does not exist',
      ],
      [
        '{\n  "rules": [{ "files": "**", "blueprint": "not a blueprint" }]\n}\n',
        'port-gitops.config.json:2:43: "rules.0.blueprint" is not a blueprint identifier',
      ],
    ];
    for (const [text, message] of cases) {
      const run = await runCli(['check', '--all'], { cwd: config(text) });
      expect(run.code, text).toBe(3);
      expect(run.stderr, text).toContain(message);
      expect(run.stderr).not.toContain('shown');
    }
    const bad = await runCli(['check', '--all', '--blueprint', 'no spaces'], { cwd: config('{}') });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--blueprint "no spaces" is not a blueprint identifier');
  });

  it('refuses two blueprint files that define one blueprint, naming both', async () => {
    const repo = makeRepo({
      '.port/blueprints/domain.json': exampleBlueprints()['.port/blueprints/domain.json']!,
      '.port/blueprints/domain-copy.json': exampleBlueprints()['.port/blueprints/domain.json']!,
      'a/port.yml': domain('a'),
    });
    const run = await runCli(['check', '--all'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'error: .port/blueprints/domain-copy.json and .port/blueprints/domain.json both define the blueprint "domain"',
    );
  });
});

describe('output that a file name could hijack', () => {
  it('under GitHub Actions, no line it prints starts a workflow command it did not write; names are escaped', async () => {
    const evil = 'evil\n::error title=pwned::owned\u001b[31m';
    const repo = makeRepo({ ...exampleBlueprints() });
    writeFiles(repo, { [`${evil}/port.yml`]: 'identifier: bad id\nblueprint: domain\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'evil');
    const run = await runCli(['check', '--all', '--verbose'], { cwd: repo, env: { GITHUB_ACTIONS: 'true' } });
    expect(run.code).toBe(1);
    const lines = `${run.stdout}\n${run.stderr}`.split('\n');
    const commands = lines.filter((line) => line.trimStart().startsWith('::'));
    // Only the annotation port-gitops writes itself, its data escaped as the toolkit escapes it.
    expect(commands).toHaveLength(1);
    expect(
      commands[0]!.startsWith(
        '::error file=evil%0A%3A%3Aerror title=pwned%3A%3Aowned\\u001b[31m/port.yml,line=1,col=13,',
      ),
    ).toBe(true);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toContain('evil\\u000a::error title=pwned::owned\\u001b[31m/port.yml');
  });
});

describe('limits and faults', () => {
  it('looks up 21,000 relation targets at once: no argument list to overflow, no search that slows with them', async () => {
    // 21,000 names of 120 characters: 2.5 MB, more than an argument list holds; each group under 1 MiB.
    const ids = Array.from({ length: 21_000 }, (_, i) => `team-${String(i).padStart(6, '0')}-${'x'.repeat(108)}`);
    const blueprints = {
      '.port/blueprints/team.json': JSON.stringify({ identifier: 'team', schema: { properties: {} } }),
      '.port/blueprints/group.json': JSON.stringify({
        identifier: 'group',
        schema: { properties: {} },
        relations: { members: { target: 'team', required: false, many: true } },
      }),
    };
    const repo = makeRepo({
      ...blueprints,
      'teams/port.yml': ids.map((id) => `- { identifier: ${id}, blueprint: team }`).join('\n'),
    });
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    const group = (n: number, members: string[]) =>
      `identifier: group-${n}\nblueprint: group\nrelations:\n  members: [${members.join(', ')}]\n`;
    writeFiles(repo, {
      'groups/port.yml': [
        group(1, ids.slice(0, 7000)),
        group(2, ids.slice(7000, 14_000)),
        group(3, [...ids.slice(14_000), 'team-missing']),
      ].join('---\n'),
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'group');
    const run = await runCli(['check', '--base', base, '--strict-relations', '--format', 'json'], { cwd: repo });
    expect(run.stderr).toBe('');
    expect(report(run.stdout).errors.map((e) => e.message)).toEqual([
      'relation "members" points at "team-missing" of blueprint "team", which no entity file defines',
    ]);
  });

  it.each([
    ['no repository pattern', {}],
    // A repository pattern loads RE2 for every blueprint; port-gitops' own identifier patterns stay on
    // JavaScript's engine (linear-regexp.ts), and must stay linear there.
    [
      'a repository pattern (RE2 loaded)',
      {
        '.port/blueprints/tagged.json': JSON.stringify({
          identifier: 'tagged',
          schema: { properties: { tag: { type: 'string', pattern: '^[a-z]+$' } } },
        }),
      },
    ],
  ])(
    'refuses identifiers of 300,000 characters in time linear in their length, and says so once each: %s',
    async (_, extra) => {
      // A backtracking identifier pattern took minutes on such values; the run must end, and say why.
      const long = `${'a'.repeat(300_000)}!`;
      const repo = makeRepo({
        ...exampleBlueprints(),
        ...extra,
        'a/port.json': JSON.stringify({ identifier: long, blueprint: 'domain' }),
        'b/port.json': JSON.stringify({ identifier: 'b', blueprint: long }),
        'c/port.json': JSON.stringify({
          identifier: 'c',
          blueprint: 'service',
          properties: { language: 'go', lifecycle: 'production' },
          relations: { dependsOn: [long] },
        }),
      });
      const run = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
      expect(run.code).toBe(1);
      const errors = report(run.stdout).errors.map((e) => `${e.file} ${e.pointer} ${e.rule}`);
      expect(errors).toEqual(
        expect.arrayContaining([
          'a/port.json /identifier port entity: identifier',
          'b/port.json /blueprint port entity: identifier',
          'c/port.json /relations/dependsOn/0 port entity: identifier',
        ]),
      );
      // No warning that a blueprint no identifier could name lacks a definition; no message prints the value whole.
      expect(errors.some((e) => e.endsWith('blueprint-definition'))).toBe(false);
      const text = await runCli(['check', '--all'], { cwd: repo });
      expect(text.stdout.length).toBeLessThan(5_000);
    },
    60_000,
  );

  it('checks --report and --junit before anything is pushed', async () => {
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    const port = await emulator({ record: true });
    const run = await runCli(['sync', '--all', '--report', '/nonexistent/report.json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--report /nonexistent/report.json: the folder /nonexistent does not exist');
    expect(port.exchanges).toEqual([]);
  });

  it('keeps the exit code of a push whose --report cannot be written afterwards (a full disk), with a warning', async () => {
    const repo = makeRepo({ ...exampleBlueprints(), 'a/port.yml': domain('a') });
    const port = await emulator();
    // /dev/full can be opened for writing, as checked before the run, and every write to it fails (ENOSPC).
    const run = await runCli(['sync', '--all', '--report', '/dev/full'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.stderr).toContain('warning: --report /dev/full could not be written: ENOSPC');
    expect(run.code).toBe(0);
    expect(port.store.entities().map((e) => e.identifier)).toEqual(['a']);
    // check wrote nothing to Port: a report it cannot write fails it, as before.
    const check = await runCli(['check', '--all', '--report', '/dev/full'], { cwd: repo });
    expect(check.stderr).toContain('error: --report /dev/full could not be written: ENOSPC');
    expect(check.code).toBe(3);
  });

  it('turns bad flags into usage errors that name the flag', async () => {
    const repo = makeRepo({ 'a/port.yml': domain('a') });
    for (const [args, message] of [
      [['sync', '--all', '--concurrency', '0'], '--concurrency takes a whole number from 1 to 64, not "0"'],
      [['sync', '--all', '--concurrency', 'abc'], '--concurrency takes a whole number from 1 to 64'],
      [['sync', '--all', '--max-deletes', '-1'], '--max-deletes takes a whole number 0 or more, not "-1"'],
      [['emulator', '--blueprints', 'a', '--blueprints', 'b'], '--blueprints is given more than once'],
      [
        ['sync', '--all', '--base-url', 'http://127.0.0.1.nip.io'],
        '--base-url: refusing to send credentials over plain http',
      ],
      [['sync', '--all', '--base-url', 'https://me:hunter2@api.port.io'], 'https://***@api.port.io'],
      [['sync', '--all', '--base-url', 'not a url'], '--base-url: the Port base URL is not a URL'],
    ] as Array<[string[], string]>) {
      const run = await runCli(args, { cwd: repo, env: { PORT_CLIENT_ID: 'id', PORT_CLIENT_SECRET: 'secret' } });
      expect(run.code, args.join(' ')).toBe(3);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.stderr).not.toContain('internal error');
      expect(run.stderr).not.toContain('hunter2');
    }
  });
});
