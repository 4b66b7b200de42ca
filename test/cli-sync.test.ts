import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS,
  EXAMPLE,
  apiGet,
  emulator,
  git,
  makeDir,
  makeRepo,
  runCli,
  syncEnv,
  writeFiles,
} from './helpers.js';

/** The example monorepo, copied into a fresh git repository of its own. */
function exampleRepo(): string {
  const dir = makeRepo({});
  cpSync(EXAMPLE, dir, { recursive: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'example');
  return dir;
}

describe('sync --all', () => {
  it('pushes every entity of the example monorepo, as read back from the emulator', async () => {
    const repo = exampleRepo();
    const port = await emulator();
    const run = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary).toMatchObject({ files: 6, entities: 10, upserted: 10, failed: 0, invalid: 0 });

    const services = await apiGet<{ entities: Array<Record<string, unknown>> }>(
      port.url,
      '/v1/blueprints/service/entities',
    );
    expect(services.body.entities.map((e) => e.identifier).sort()).toEqual([
      'auth',
      'checkout',
      'gateway',
      'indexer',
      'ledger',
      'query-api',
    ]);

    const checkout = (
      await apiGet<{ entity: Record<string, any> }>(port.url, '/v1/blueprints/service/entities/checkout')
    ).body.entity;
    expect(checkout).toMatchObject({
      title: 'Checkout',
      team: ['payments'],
      relations: { domain: 'payments', dependsOn: ['ledger', 'gateway'] },
      properties: { language: 'typescript', tier: 1, tags: ['web', 'critical'] },
    });
    // file://./README.md was replaced by the file's text; file://docs/… (a JSON object) was parsed.
    expect(checkout.properties.readme).toBe(
      readFileSync(join(repo, 'teams/payments/services/checkout/README.md'), 'utf8'),
    );
    const ledger = (await apiGet<{ entity: Record<string, any> }>(port.url, '/v1/blueprints/service/entities/ledger'))
      .body.entity;
    expect(ledger.properties.runbook).toEqual(
      JSON.parse(readFileSync(join(repo, 'docs/runbooks/ledger.json'), 'utf8')),
    );
    // The legacy entity.json got its blueprint from the config rule.
    expect((await apiGet(port.url, '/v1/blueprints/microservice/entities/billing-api')).status).toBe(200);
    expect(checkout.createdBy).toBe(CREDENTIALS.PORT_CLIENT_ID);
  });

  it('records the User-Agent port-gitops/<version> (repo/<id>) on every request', async () => {
    const repo = exampleRepo();
    git(repo, 'remote', 'add', 'origin', 'https://ci-user:ghp_TopSecretToken@github.com/acme/monorepo.git');
    const port = await emulator({ record: true });
    const run = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(0);
    const agents = new Set(port.exchanges.map((e) => e.headers['user-agent']));
    expect([...agents]).toEqual([
      expect.stringMatching(/^port-gitops\/\d+\.\d+\.\d+ \(repo\/github\.com\/acme\/monorepo\)$/),
    ]);
    expect(port.store.entities().every((e) => e.datasource === [...agents][0])).toBe(true);
  });

  it('reports each entity Port rejects in a 207, pushes the others, and exits 2', async () => {
    // No local blueprints: the offline check cannot see the bad type, Port (the emulator) does.
    const repo = makeRepo({
      'svc/port.yml': [
        '- {identifier: good-1, blueprint: service, properties: {language: go, lifecycle: production}}',
        '- {identifier: bad, blueprint: service, properties: {language: go, lifecycle: production, tier: "high"}}',
        '- {identifier: good-2, blueprint: service, properties: {language: rust, lifecycle: experimental}}',
      ].join('\n'),
    });
    const port = await emulator({ record: true });
    const run = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.entities.map((e) => `${e.identifier}:${e.result}`)).toEqual(['good-1:ok', 'bad:failed', 'good-2:ok']);
    expect(report.entities[1]!.error).toMatchObject({ status: 422, code: 'blueprint_schema_mismatch' });
    expect(report.entities[1]!.error!.message).toContain('properties.tier');
    expect(port.exchanges.filter((e) => e.route.endsWith('/entities/bulk')).map((e) => e.status)).toEqual([207]);
    expect(
      port.store
        .entities()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(['good-1', 'good-2']);
    expect(report.summary).toMatchObject({ upserted: 2, failed: 1 });
  });

  it('pushes the valid files when one is invalid, reports it, and exits 1', async () => {
    const repo = makeRepo({
      'a/port.yml': 'identifier: a\nblueprint: domain\n',
      'b/port.json': '{"identifier": "b", "blueprint": "domain", "propertes": {}}',
    });
    const port = await emulator();
    const run = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('b/port.json:1:44 unknown field "propertes"');
    expect(run.stdout).toContain('hint: did you mean "properties"?');
    expect(port.store.entities().map((e) => e.identifier)).toEqual(['a']);
  });

  it('pushes nothing with --no-partial while any file is invalid', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n', 'b/port.json': '{ broken' });
    const port = await emulator();
    const run = await runCli(['sync', '--all', '--no-partial', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.entities).toEqual([
      { file: 'a/port.yml', blueprint: 'domain', identifier: 'a', action: 'upsert', result: 'skipped' },
    ]);
    expect(port.store.entities()).toEqual([]);
  });

  it('sends nothing with --dry-run and needs no credentials', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    const run = await runCli(['sync', '--all', '--dry-run', '--format', 'json'], { cwd: repo });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.dryRun).toBe(true);
    expect(report.entities.map((e) => `${e.action}:${e.result}`)).toEqual(['upsert:planned']);
  });
});

describe('the JSON report', () => {
  it('has the shape of the contract, on stdout alone, and is also written with --report', async () => {
    const repo = makeRepo({
      'a/port.yml': 'identifier: a\nblueprint: domain\n',
      'b/port.yml': 'identifier: b\nblueprint: domain\nproperties:\n  architect: not-an-email\n',
    });
    writeFiles(repo, {
      '.port/blueprints/domain.json': readFileSync(join(EXAMPLE, '.port/blueprints/domain.json'), 'utf8'),
    });
    const port = await emulator();
    const reportFile = join(makeDir({}), 'report.json');
    const run = await runCli(['sync', '--all', '--format', 'json', '--report', reportFile], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const report = JSON.parse(run.stdout);
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toEqual(report);
    expect(Object.keys(report)).toEqual([
      'command',
      'mode',
      'base',
      'head',
      'dryRun',
      'files',
      'entities',
      'errors',
      'summary',
    ]);
    expect(report.files).toEqual([
      { path: 'a/port.yml', outcome: 'loaded', entities: 1 },
      { path: 'b/port.yml', outcome: 'invalid', entities: 1 },
    ]);
    expect(report).toMatchObject({ command: 'sync', mode: 'all', base: null, head, dryRun: false });
    expect(report.entities).toEqual([
      { file: 'a/port.yml', blueprint: 'domain', identifier: 'a', action: 'upsert', result: 'ok' },
      { file: 'b/port.yml', blueprint: 'domain', identifier: 'b', action: 'none', result: 'skipped' },
    ]);
    expect(report.errors).toEqual([
      {
        file: 'b/port.yml',
        line: 4,
        column: 14,
        pointer: '/properties/architect',
        code: 'schema',
        message: 'must match format "email" (found "not-an-email") (Port may accept this)',
        hint: 'Port does not publish how it checks the "email" format; config "unverifiedRules": "warning" makes this a warning',
        severity: 'error',
        rule: 'blueprint domain: format',
      },
    ]);
    expect(Object.keys(report.summary)).toEqual([
      'files',
      'skipped',
      'entities',
      'upserted',
      'deleted',
      'unchanged',
      'failed',
      'invalid',
      'durationMs',
    ]);
    expect(report.summary).toMatchObject({
      files: 2,
      entities: 2,
      upserted: 1,
      deleted: 0,
      unchanged: 0,
      failed: 0,
      invalid: 1,
    });
    expect(report.summary.durationMs).toBeGreaterThan(0);
  });
});

describe('exit codes', () => {
  it('0 when all is valid, 1 when a file is invalid (check needs no credentials)', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    expect((await runCli(['check', '--all'], { cwd: repo })).code).toBe(0);
    writeFiles(repo, { 'b/port.yml': 'identifier: [not, a, string]\nblueprint: domain\n' });
    const run = await runCli(['check', '--all'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('b/port.yml:1:13 must be string');
  });

  it('3 with no selection, naming --all and --base', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    const run = await runCli(['check'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--all/);
    expect(run.stderr).toMatch(/--base/);
  });

  it('3 for an unknown flag or command', async () => {
    const repo = makeRepo({});
    expect((await runCli(['check', '--all', '--frobnicate'], { cwd: repo })).code).toBe(3);
    expect((await runCli(['deploy'], { cwd: repo })).code).toBe(3);
  });

  it('3 for a config file with an unknown key or a wrong type, naming key, line and column', async () => {
    const repo = makeRepo({
      'port-gitops.config.json':
        '{\n  "include": ["**/port.yml"],\n  "exlude": [],\n  "port": { "concurrency": "eight" }\n}\n',
    });
    const run = await runCli(['check', '--all'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('port-gitops.config.json:3:3: unknown key "exlude" (did you mean "exclude"?)');
    expect(run.stderr).toContain('port-gitops.config.json:4:28: "port.concurrency" must be integer');
  });

  it('3 when sync has no credentials, and when Port refuses them; nothing is written', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    const none = await runCli(['sync', '--all'], { cwd: repo });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('PORT_CLIENT_ID');
    const port = await emulator({ clientId: 'the-real-id', clientSecret: 'the-real-secret' });
    const refused = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Port refused the credentials');
    expect(port.store.entities()).toEqual([]);
  });

  it('3 for a plain http base URL that is not loopback', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a\nblueprint: domain\n' });
    const run = await runCli(['sync', '--all', '--base-url', 'http://port.example.com'], {
      cwd: repo,
      env: CREDENTIALS,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('refusing to send credentials over plain http');
  });

  it('2 when entities fail to push, even with invalid files too (the highest wins)', async () => {
    const repo = makeRepo({
      'a/port.yml': 'identifier: a\nblueprint: no-such-blueprint\n',
      'b/port.json': '{ broken',
    });
    const port = await emulator();
    const run = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.entities[0]!.error).toMatchObject({ status: 404, code: 'not_found' });
    expect(report.summary).toMatchObject({ failed: 1, invalid: 1 });
  });
});

describe('secrets', () => {
  it('never appear in stdout, stderr or the report, on success or on failure', async () => {
    const repo = exampleRepo();
    rmSync(join(repo, 'teams/platform/services.port.yml'));
    writeFiles(repo, { 'bad/port.json': '{ "identifier": "x" ' });
    const reportFile = join(makeDir({}), 'report.json');
    const secret = CREDENTIALS.PORT_CLIENT_SECRET;

    const port = await emulator({ record: true });
    const ok = await runCli(['sync', '--all', '--verbose', '--report', reportFile], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(ok.code).toBe(1);
    const refusedPort = await emulator({ clientId: 'x', clientSecret: 'y' });
    const refused = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(refusedPort.url) });
    expect(refused.code).toBe(3);
    const token = await runCli(['sync', '--all'], {
      cwd: repo,
      env: { PORT_ACCESS_TOKEN: 'tok-Secret-123456', PORT_BASE_URL: port.url },
    });
    expect(token.code).toBe(3);

    for (const text of [
      ok.stdout,
      ok.stderr,
      refused.stdout,
      refused.stderr,
      token.stdout,
      token.stderr,
      readFileSync(reportFile, 'utf8'),
    ]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('tok-Secret-123456');
    }
    // The secret did reach Port: only there.
    expect(port.exchanges.some((e) => JSON.stringify(e.requestBody ?? '').includes(secret))).toBe(true);
  });
});

describe('idempotence', () => {
  it('a rerun after a partial failure converges, and the report names exactly what failed', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `c${i}`);
    const repo = makeRepo({
      'port-gitops.config.json': '{"port": {"maxRetries": 0, "concurrency": 1}}',
      'domains/port.yml': ids.map((id) => `- {identifier: ${id}, blueprint: domain}`).join('\n'),
    });
    const data = join(makeDir({}), 'port.json');
    const faulty = await emulator({ dataFile: data, errorRate: 0.5, seed: 3 });
    const first = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(faulty.url) });
    expect(first.code).toBe(2);
    const report = JSON.parse(first.stdout) as Report;
    const failed = report.entities
      .filter((e) => e.result === 'failed')
      .map((e) => e.identifier)
      .sort();
    const held = faulty.store.entities().map((e) => e.identifier);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed).toEqual(ids.filter((id) => !held.includes(id)).sort());
    await faulty.close();

    const healthy = await emulator({ dataFile: data });
    const second = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(healthy.url) });
    expect(second.code).toBe(0);
    expect(
      healthy.store
        .entities()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual([...ids].sort());
  });
});
