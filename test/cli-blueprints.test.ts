import type { Report } from '@port-gitops/core';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS,
  apiGet,
  emulator,
  exampleBlueprints,
  git,
  makeDir,
  makeRepo,
  runAction,
  runCli,
  syncEnv,
  writeFiles,
  writtenElsewhere,
} from './helpers.js';

type Definition = Record<string, unknown> & {
  schema: { properties: Record<string, Record<string, unknown>>; required?: string[] };
  relations?: Record<string, Record<string, unknown>>;
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const writes = (port: Awaited<ReturnType<typeof emulator>>) =>
  port.exchanges.filter((e) => e.method !== 'GET' && !/search|access_token/.test(e.route));

/**
 * A pull request that changes the data model and uses it: two new blueprints that relate to each other,
 * a relation from an existing blueprint to one of them, a new required property, and entity files that
 * use all three.
 */
function dataModelChange(repo: string, service: Definition): void {
  service.schema.properties.costCenter = { type: 'string', title: 'Cost center' };
  service.schema.required = [...(service.schema.required ?? []), 'costCenter'];
  service.relations = {
    ...service.relations,
    system: { title: 'System', target: 'system', many: false, required: false },
  };
  writeFiles(repo, {
    '.port/blueprints/service.json': json(service),
    '.port/blueprints/system.json': json({
      identifier: 'system',
      title: 'System',
      schema: { properties: { tier: { type: 'string', enum: ['gold', 'silver'] } }, required: [] },
      relations: { platform: { title: 'Platform', target: 'platform', many: false, required: false } },
    }),
    '.port/blueprints/platform.json': json({
      identifier: 'platform',
      title: 'Platform',
      schema: { properties: {}, required: [] },
      relations: { flagship: { title: 'Flagship', target: 'system', many: false, required: false } },
      // A key port-gitops does not model: written as the file has it.
      changelogDestination: { type: 'WEBHOOK', url: 'https://example.com/hook' },
    }),
    'platform/core/port.yml':
      'identifier: core\nblueprint: platform\ntitle: Core\nrelations:\n  flagship: checkout-system\n',
    'systems/checkout/port.yml':
      'identifier: checkout-system\nblueprint: system\ntitle: Checkout\nproperties:\n  tier: gold\nrelations:\n  platform: core\n',
    'services/checkout/port.yml':
      'identifier: checkout\nblueprint: service\ntitle: Checkout\nproperties:\n  language: go\n  lifecycle: production\n  costCenter: cc-42\nrelations:\n  system: checkout-system\n',
  });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'model checkout as a system');
}

describe('blueprints as code (manageBlueprints)', () => {
  it('checks, plans and syncs a data-model change with the entities that use it, in one run', async () => {
    const files = exampleBlueprints();
    const repo = makeRepo({ ...files, 'port-gitops.config.json': json({ manageBlueprints: true }) });
    const port = await emulator({ record: true });
    dataModelChange(repo, JSON.parse(files['.port/blueprints/service.json']!) as Definition);
    const env = syncEnv(port.url);

    const check = await runCli(['check', '--base', 'HEAD~1'], { cwd: repo, env: {} });
    expect(check.stderr + check.stdout).not.toMatch(/error/);
    expect(check.code).toBe(0);

    const planned = await runCli(['plan', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env });
    expect(planned.stderr).not.toMatch(/error/);
    const plan = JSON.parse(planned.stdout) as Report;
    const classes = Object.fromEntries((plan.blueprints ?? []).map((c) => [`${c.blueprint} ${c.path}`, c.class]));
    expect(classes).toMatchObject({
      'platform ': 'safe',
      'system ': 'safe',
      'service schema.properties.costCenter': 'breaking',
      'service relations.system': 'safe',
    });

    const dry = await runCli(['sync', '--base', 'HEAD~1', '--dry-run'], { cwd: repo, env });
    expect(dry.stderr).toContain('it does not show the changes to the managed blueprints: `plan` reads them');

    // Without --allow-breaking: refused before anything is written.
    const refused = await runCli(['sync', '--base', 'HEAD~1'], { cwd: repo, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('blueprint service: breaking: schema.properties.costCenter: a required property');
    expect(refused.stderr).toContain('--allow-breaking');
    expect(writes(port)).toEqual([]);

    const applied = await runCli(['sync', '--base', 'HEAD~1', '--allow-breaking', '--format', 'json'], {
      cwd: repo,
      env,
    });
    expect(applied.stderr).not.toMatch(/error/);
    expect(applied.code).toBe(0);
    const report = JSON.parse(applied.stdout) as Report;
    expect(report.summary).toMatchObject({ upserted: 3, failed: 0 });
    // The cycle system ⇄ platform: both created bare, then written whole.
    expect(
      writes(port)
        .map((e) => `${e.method} ${e.path}`)
        .filter((w) => w.includes('/v1/blueprints/') || w.endsWith('/v1/blueprints')),
    ).toEqual(
      expect.arrayContaining([
        'POST /v1/blueprints',
        'PUT /v1/blueprints/platform',
        'PUT /v1/blueprints/system',
        'PUT /v1/blueprints/service',
      ]),
    );

    // Read back: each blueprint is its file, every key (the unmodelled one too), and a new plan is empty.
    for (const id of ['service', 'system', 'platform']) {
      const live = (await apiGet<{ blueprint: Record<string, unknown> }>(port.url, `/v1/blueprints/${id}`)).body
        .blueprint;
      const file = JSON.parse(readFileSync(`${repo}/.port/blueprints/${id}.json`, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(file)) expect(live[key], `${id}.${key}`).toEqual(value);
    }
    const entity = await apiGet<{
      entity: { relations: Record<string, unknown>; properties: Record<string, unknown> };
    }>(port.url, '/v1/blueprints/service/entities/checkout');
    expect(entity.body.entity.properties.costCenter).toBe('cc-42');
    expect(entity.body.entity.relations.system).toBe('checkout-system');
    const again = JSON.parse(
      (await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env })).stdout,
    ) as Report;
    expect(again.blueprints).toEqual([]);
  });

  it('writes a new requirement after the entities that meet it, so Port takes it even if it refuses one entities lack', async () => {
    const files = exampleBlueprints();
    const checkout = (extra: string) =>
      `identifier: checkout\nblueprint: service\ntitle: Checkout\nproperties:\n  language: go\n  lifecycle: production\n${extra}`;
    const repo = makeRepo({
      ...files,
      'port-gitops.config.json': json({ manageBlueprints: ['service'] }),
      'services/checkout/port.yml': checkout(''),
    });
    // The strict reading of what no source settles: Port refuses a requirement existing entities lack.
    const port = await emulator({ record: true, blueprintChanges: { requiredOnExisting: 'refuse' } });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    const service = JSON.parse(files['.port/blueprints/service.json']!) as Definition;
    service.schema.properties.costCenter = { type: 'string', title: 'Cost center' };
    service.schema.required = [...(service.schema.required ?? []), 'costCenter'];
    writeFiles(repo, {
      '.port/blueprints/service.json': json(service),
      'services/checkout/port.yml': checkout('  costCenter: cc-42\n'),
    });
    git(repo, 'commit', '-q', '-am', 'require a cost center');

    const from = port.exchanges.length;
    const run = await runCli(['sync', '--base', 'HEAD~1', '--allow-breaking'], { cwd: repo, env });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const order = port.exchanges
      .slice(from)
      .filter((e) => e.method === 'PUT' || e.route === '/v1/blueprints/{blueprint_identifier}/entities/bulk')
      .map((e) => (e.method === 'PUT' ? `PUT required ${(e.requestBody as Definition).schema.required}` : 'entities'));
    expect(order.filter((w, i) => w !== order[i - 1])).toEqual([
      'PUT required language,lifecycle',
      'entities',
      'PUT required language,lifecycle,costCenter',
    ]);
    expect(port.store.blueprint('service').schema.required).toEqual(service.schema.required);
    expect(port.store.get('service', 'checkout').properties.costCenter).toBe('cc-42');

    // An entity no file defines lacks the value: Port refuses the requirement after the push, and the
    // run says what was written and what was not.
    writtenElsewhere(port, 'service', {
      identifier: 'stray',
      properties: { language: 'go', lifecycle: 'production', costCenter: 'cc-1' },
    });
    service.schema.properties.owner = { type: 'string', title: 'Owner' };
    service.schema.required.push('owner');
    writeFiles(repo, {
      '.port/blueprints/service.json': json(service),
      'services/checkout/port.yml': checkout('  costCenter: cc-42\n  owner: ana\n'),
    });
    git(repo, 'commit', '-q', '-am', 'require an owner');
    const refused = await runCli(['sync', '--base', 'HEAD~1', '--allow-breaking'], { cwd: repo, env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'blueprint service: Port refused its new requirements after the entities were pushed',
    );
    expect(port.store.get('service', 'checkout').properties.owner).toBe('ana');
    expect(port.store.blueprint('service').schema.required).not.toContain('owner');
  });

  it('refuses a type change even with both flags; --recreate-property writes it through migrations', async () => {
    const files = exampleBlueprints();
    const entity = (description: string) =>
      `identifier: payments\nblueprint: domain\ntitle: Payments\nproperties:\n  description: ${description}\n`;
    const repo = makeRepo({
      ...files,
      'port-gitops.config.json': json({ manageBlueprints: ['domain'] }),
      'd/port.yml': entity('money'),
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as Definition;
    domain.schema.properties.description = { type: 'number', title: 'Description' };
    writeFiles(repo, { '.port/blueprints/domain.json': json(domain), 'd/port.yml': entity('5') });
    git(repo, 'commit', '-q', '-am', 'description becomes a number');

    const from = port.exchanges.length;
    const run = await runCli(['sync', '--base', 'HEAD~1', '--allow-breaking', '--allow-destructive'], {
      cwd: repo,
      env,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('blueprint domain: blocked: schema.properties.description.type');
    expect(run.stderr).toContain('--recreate-property domain.description');
    expect(writes(port).filter((e) => port.exchanges.indexOf(e) >= from)).toEqual([]);

    const recreated = await runCli(['sync', '--base', 'HEAD~1', '--recreate-property', 'domain.description'], {
      cwd: repo,
      env,
    });
    expect(recreated.stderr).not.toMatch(/error/);
    expect(recreated.code).toBe(0);
    const sent = port.exchanges
      .slice(from)
      .filter((e) => e.method === 'PUT' || e.route === '/v1/migrations')
      .map((e) =>
        e.method === 'PUT'
          ? Object.keys((e.requestBody as Definition).schema.properties)
          : (e.requestBody as { mapping: { filter: string } }).mapping.filter,
      );
    // A copy of the old definition, the values copied into it, the property removed, added with its new
    // type, the values that are numbers copied back (none: "money" is not), then the file, without the copy.
    const copy = 'description__port_gitops_copy';
    expect(sent).toEqual([
      ['description', 'architect', copy],
      '.properties["description"] != null',
      ['architect', copy],
      ['architect', copy, 'description'],
      `(.properties["${copy}"] | type) == "number"`,
      ['description', 'architect'],
    ]);
    const live = await apiGet<{ blueprint: Definition }>(port.url, '/v1/blueprints/domain');
    expect(live.body.blueprint.schema.properties.description).toMatchObject({ type: 'number' });
    const payments = await apiGet<{ entity: { properties: Record<string, unknown> } }>(
      port.url,
      '/v1/blueprints/domain/entities/payments',
    );
    expect(payments.body.entity.properties.description).toBe(5);
  });

  it('writes a destructive change only with --allow-destructive, and Port drops the values', async () => {
    const files = exampleBlueprints();
    const repo = makeRepo({
      ...files,
      'port-gitops.config.json': json({ manageBlueprints: ['domain'] }),
      'd/port.yml':
        'identifier: payments\nblueprint: domain\ntitle: Payments\nproperties:\n  description: money\n  architect: a@example.com\n',
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as Definition;
    delete domain.schema.properties.architect;
    writeFiles(repo, { '.port/blueprints/domain.json': json(domain) });
    git(repo, 'commit', '-q', '-am', 'drop architect');
    // The plan says what the change reaches: the entity Port holds, and the file still setting architect.
    const reach = JSON.parse(
      (await runCli(['plan', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env })).stdout,
    ) as Report;
    expect(reach.blueprints).toEqual([
      expect.objectContaining({
        path: 'schema.properties.architect',
        class: 'destructive',
        impact: { entitiesInPort: 1, invalidFiles: 1 },
      }),
    ]);
    const text = await runCli(['plan', '--base', 'HEAD~1'], { cwd: repo, env });
    expect(text.stdout).toContain('Port holds 1 entity, 1 file invalid');
    expect(text.stdout).toMatch(/^plan \(changes [0-9a-f]+\.\.[0-9a-f]+\): 1 blueprint change planned · /m);
    writeFiles(repo, {
      'd/port.yml': 'identifier: payments\nblueprint: domain\ntitle: Payments\nproperties:\n  description: money\n',
    });
    git(repo, 'commit', '-q', '--amend', '-am', 'drop architect');
    const refused = await runCli(['sync', '--base', 'HEAD~1', '--allow-breaking'], { cwd: repo, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('blueprint domain: destructive: schema.properties.architect');
    const applied = await runCli(['sync', '--base', 'HEAD~1', '--allow-destructive'], { cwd: repo, env });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^sync \(changes [0-9a-f]+\.\.[0-9a-f]+\): 1 blueprint change written · /m);
    const live = await apiGet<{ blueprint: Definition }>(port.url, '/v1/blueprints/domain');
    expect(Object.keys(live.body.blueprint.schema.properties)).toEqual(['description']);
    const entity = await apiGet<{ entity: { properties: Record<string, unknown> } }>(
      port.url,
      '/v1/blueprints/domain/entities/payments',
    );
    expect(entity.body.entity.properties).toEqual({ description: 'money' });
  });

  it('round trip: blueprints pull, then plan with every definition managed shows no change', async () => {
    const repo = makeRepo({ 'port-gitops.config.json': json({ manageBlueprints: true }) });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['blueprints', 'pull'], { cwd: repo, env })).code).toBe(0);
    const pulled = readdirSync(`${repo}/.port/blueprints`);
    expect(pulled).toEqual(expect.arrayContaining(['domain.json', 'service.json', '_user.json', '_team.json']));
    const plan = await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env });
    expect(plan.code).toBe(0);
    const report = JSON.parse(plan.stdout) as Report;
    expect(report.blueprints).toEqual([]);
    const read = port.exchanges.filter((e) => e.route === '/v1/blueprints/{identifier}').map((e) => e.path);
    expect(read.length).toBe(pulled.length);
  });

  it('marks a change that overwrites an edit made in Port outside git (drift), and needs --allow-destructive', async () => {
    const files = exampleBlueprints();
    const repo = makeRepo({ ...files, 'port-gitops.config.json': json({ manageBlueprints: ['domain'] }) });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as Definition;
    // Someone edits the blueprint in Port's UI: a new title and a property.
    const { accessToken } = (await (
      await fetch(`${port.url}/v1/auth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'ui', clientSecret: 'ui-secret' }),
      })
    ).json()) as { accessToken: string };
    const edited = { ...domain, title: 'Business domain' };
    edited.schema = { ...domain.schema, properties: { ...domain.schema.properties, budget: { type: 'number' } } };
    const put = await fetch(`${port.url}/v1/blueprints/domain`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(edited),
    });
    expect(put.status).toBe(200);
    // Meanwhile a pull request edits another part of the same definition.
    domain.icon = 'Globe';
    writeFiles(repo, { '.port/blueprints/domain.json': json(domain) });
    git(repo, 'commit', '-q', '-am', 'new icon');

    const plan = JSON.parse(
      (await runCli(['plan', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env })).stdout,
    ) as Report;
    const byPath = Object.fromEntries((plan.blueprints ?? []).map((c) => [c.path, c]));
    expect(byPath.icon).toMatchObject({ class: 'safe' });
    expect(byPath.icon!.drift).toBeUndefined();
    expect(byPath.title).toMatchObject({ class: 'destructive', drift: true });
    expect(byPath['schema.properties.budget']).toMatchObject({ class: 'destructive', drift: true });
    expect(byPath.title!.reason).toContain('overwrites a change made in Port outside git');

    const refused = await runCli(['sync', '--base', 'HEAD~1', '--allow-breaking'], { cwd: repo, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('blueprint domain: destructive: title');
    // A run of every file has no base to tell drift by: the same changes, without the mark.
    const all = JSON.parse((await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env })).stdout) as Report;
    expect(all.blueprints?.find((c) => c.path === 'title')).toMatchObject({ class: 'safe' });
  });

  it('deletes a blueprint whose definition the change removed: after its entities, only when none is left', async () => {
    const legacy = { identifier: 'legacy', title: 'Legacy', schema: { properties: {} } };
    const repo = makeRepo({
      ...exampleBlueprints(),
      '.port/blueprints/legacy.json': json(legacy),
      'port-gitops.config.json': json({ manageBlueprints: true }),
      'old/port.yml': 'identifier: old\nblueprint: legacy\ntitle: Old\n',
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    git(repo, 'rm', '-q', '.port/blueprints/legacy.json', 'old/port.yml');
    git(repo, 'commit', '-q', '-m', 'retire legacy');

    const plan = JSON.parse(
      (await runCli(['plan', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env })).stdout,
    ) as Report;
    expect(plan.blueprints).toEqual([
      expect.objectContaining({
        blueprint: 'legacy',
        path: '',
        class: 'destructive',
        impact: { entitiesInPort: 1, invalidFiles: 0 },
      }),
    ]);
    // Without --delete-removed its entity would stay, and Port refuses the deletion: blocked.
    const blocked = await runCli(['sync', '--base', 'HEAD~1', '--allow-destructive'], { cwd: repo, env });
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain('blueprint legacy: blocked: the blueprint: Port refuses to delete a blueprint');
    const refused = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed'], { cwd: repo, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('--allow-destructive');

    const from = port.exchanges.length;
    const done = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed', '--allow-destructive'], {
      cwd: repo,
      env,
    });
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('blueprint legacy deleted');
    const order = port.exchanges
      .slice(from)
      .filter((e) => e.method !== 'GET' && !/search|access_token/.test(e.route))
      .map((e) => `${e.method} ${e.path}`);
    expect(order).toEqual(['DELETE /v1/blueprints/legacy/entities/old', 'DELETE /v1/blueprints/legacy']);
    expect((await apiGet(port.url, '/v1/blueprints/legacy')).status).toBe(404);
  });

  it('a write Port refuses stops the run, says what was and was not written, and the next run finishes', async () => {
    const files = exampleBlueprints();
    const service = JSON.parse(files['.port/blueprints/service.json']!) as Definition;
    service.relations = { ...service.relations, area: { title: 'Area', target: 'area', many: false, required: false } };
    const repo = makeRepo({
      ...files,
      '.port/blueprints/audit.json': json({ identifier: 'audit', title: 'Audit', schema: { properties: {} } }),
      // A relation to a blueprint Port does not have and no definition creates: Port refuses the PUT.
      '.port/blueprints/service.json': json(service),
      'port-gitops.config.json': json({ manageBlueprints: true }),
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    const stopped = await runCli(['sync', '--all'], { cwd: repo, env });
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(
      /blueprint service: Port refused the change: .*"area".*Written: audit; not written: service; no entity was pushed/,
    );
    expect(port.exchanges.some((e) => e.route.endsWith('/bulk'))).toBe(false);

    writeFiles(repo, {
      '.port/blueprints/area.json': json({ identifier: 'area', title: 'Area', schema: { properties: {} } }),
    });
    const finished = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env });
    expect(finished.code).toBe(0);
    const report = JSON.parse(finished.stdout) as Report;
    // audit matches Port now; only what was left is written.
    expect([...new Set(report.blueprints?.map((c) => c.blueprint))].sort()).toEqual(['area', 'service']);
    expect(
      (await apiGet<{ blueprint: Definition }>(port.url, '/v1/blueprints/service')).body.blueprint.relations?.area,
    ).toBeDefined();
  });

  it('extends a system blueprint by its additions alone (PATCH), and refuses any other change to it', async () => {
    const repo = makeRepo({ 'port-gitops.config.json': json({ manageBlueprints: ['_team'] }) });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['blueprints', 'pull', '_team'], { cwd: repo, env })).code).toBe(0);
    const pulled = readFileSync(`${repo}/.port/blueprints/_team.json`, 'utf8');
    const team = JSON.parse(pulled) as Definition;
    team.schema.properties.slack = { type: 'string', title: 'Slack channel' };
    writeFiles(repo, { '.port/blueprints/_team.json': json(team) });
    const plan = JSON.parse((await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env })).stdout) as Report;
    expect(plan.blueprints).toEqual([
      expect.objectContaining({ blueprint: '_team', path: 'schema.properties.slack', class: 'safe' }),
    ]);
    const from = port.exchanges.length;
    const sync = await runCli(['sync', '--all'], { cwd: repo, env });
    expect(sync.stderr).not.toMatch(/error/);
    expect(sync.code).toBe(0);
    expect(writes(port).slice(writes(port).findIndex((e) => port.exchanges.indexOf(e) >= from))).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        route: '/v1/blueprints/{identifier}',
        requestBody: { schema: { properties: { slack: { type: 'string', title: 'Slack channel' } } } },
      }),
    ]);
    const live = await apiGet<{ blueprint: Definition }>(port.url, '/v1/blueprints/_team');
    expect(Object.keys(live.body.blueprint.schema.properties).sort()).toEqual(['description', 'slack']);

    // A relation added to it may target a blueprint the same sync creates.
    team.relations = { squad: { title: 'Squad', target: 'squad', many: false, required: false } };
    writeFiles(repo, {
      '.port/blueprints/_team.json': json(team),
      '.port/blueprints/squad.json': json({ identifier: 'squad', title: 'Squad', schema: { properties: {} } }),
      'port-gitops.config.json': json({ manageBlueprints: ['_team', 'squad'] }),
    });
    const related = await runCli(['sync', '--all'], { cwd: repo, env });
    expect(related.stderr).not.toMatch(/error/);
    expect(related.code).toBe(0);
    expect(port.store.blueprint('_team').relations).toEqual({ squad: expect.objectContaining({ target: 'squad' }) });

    // A change to what Port owns (a core property's type) is blocked, whatever the flags.
    team.schema.properties.description = { type: 'number' };
    writeFiles(repo, { '.port/blueprints/_team.json': json(team) });
    const before = port.exchanges.length;
    const refused = await runCli(['sync', '--all', '--allow-breaking', '--allow-destructive'], { cwd: repo, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('blueprint _team: blocked: schema.properties.description.type');
    expect(refused.stderr).toContain('change what Port owns of a system blueprint in Port');
    expect(writes(port).filter((e) => port.exchanges.indexOf(e) >= before)).toEqual([]);
  });

  it('--recreate-property copies the values Port holds aside and back where they fit the new definition', async () => {
    const files = exampleBlueprints();
    const entity = (description: string) =>
      `identifier: payments\nblueprint: domain\ntitle: Payments\nproperties:\n  description: ${description}\n`;
    const repo = makeRepo({
      ...files,
      'port-gitops.config.json': json({ manageBlueprints: ['domain'] }),
      'd/port.yml': entity('https://pay.example.com'),
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    // Entities no file defines, written by someone else: one value a URL, one not.
    writtenElsewhere(port, 'domain', { identifier: 'kept', properties: { description: 'https://kept.example.com' } });
    writtenElsewhere(port, 'domain', { identifier: 'prose', properties: { description: 'not a url' } });
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as Definition;
    domain.schema.properties.description = { type: 'string', format: 'url', title: 'Description' };
    writeFiles(repo, {
      '.port/blueprints/domain.json': json(domain),
      'd/port.yml': entity('https://payments.example.com'),
    });
    git(repo, 'commit', '-q', '-am', 'description becomes a URL');

    const run = await runCli(['sync', '--base', 'HEAD~1', '--recreate-property', 'domain.description'], {
      cwd: repo,
      env,
    });
    expect(run.code).toBe(0);
    // The value that is not a URL could not be copied back: said, and the rest went on.
    expect(run.stderr).toMatch(/warning.*not every value of "description" could be copied back.*1 of 3 entities/);
    const description = (id: string) => port.store.get('domain', id).properties.description;
    expect([description('payments'), description('kept'), description('prose')]).toEqual([
      'https://payments.example.com',
      'https://kept.example.com',
      undefined,
    ]);
    // Each migration was polled until it ended; the copy is gone.
    expect(port.exchanges.filter((e) => e.route === '/v1/migrations/{migration_id}').length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(port.store.blueprint('domain').schema.properties).sort()).toEqual(['architect', 'description']);
  });

  it('finishes a recreation a run left half-way: the copy in Port is copied back, then removed', async () => {
    const files = exampleBlueprints();
    const repo = makeRepo({ ...files, 'port-gitops.config.json': json({ manageBlueprints: ['domain'] }) });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    // What a run that stopped after removing the old property leaves: the copy, with the values.
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as Definition;
    const { description, ...rest } = domain.schema.properties;
    const copy = 'description__port_gitops_copy';
    port.store.replaceBlueprint(
      'domain',
      { ...domain, schema: { ...domain.schema, properties: { ...rest, [copy]: description! } } } as never,
      'other',
    );
    writtenElsewhere(port, 'domain', { identifier: 'kept', properties: { [copy]: 'kept words' } });

    const plan = JSON.parse((await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env })).stdout) as Report;
    expect(plan.blueprints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: `schema.properties.${copy}`, class: 'safe' }),
        expect.objectContaining({ path: 'schema.properties.description', class: 'safe' }),
      ]),
    );
    const run = await runCli(['sync', '--all'], { cwd: repo, env });
    expect(run.stderr).not.toMatch(/error|warning/);
    expect(run.code).toBe(0);
    expect(port.store.get('domain', 'kept').properties).toEqual({ description: 'kept words' });
    expect(Object.keys(port.store.blueprint('domain').schema.properties).sort()).toEqual(['architect', 'description']);
  });

  it("classes what Port's sources do not settle the same whichever way the emulator decides it", async () => {
    const files = exampleBlueprints();
    const service = JSON.parse(files['.port/blueprints/service.json']!) as Definition;
    const entity =
      'identifier: api\nblueprint: service\ntitle: API\nproperties:\n  language: go\n  lifecycle: production\nrelations:\n  dependsOn: [api]\n';
    const outcomes: Record<string, unknown> = {};
    for (const decisions of [
      { requiredOnExisting: 'accept', relationReshape: 'accept' },
      { requiredOnExisting: 'refuse', relationReshape: 'refuse' },
    ] as const) {
      const repo = makeRepo({
        ...files,
        'port-gitops.config.json': json({ manageBlueprints: ['service'] }),
        'api/port.yml': entity,
      });
      const port = await emulator({ blueprintChanges: decisions });
      const env = syncEnv(port.url);
      expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
      // Required while Port's entity lacks it; dependsOn stops being many. The entity file is left as it
      // was (now invalid, so not pushed): what Port decides about the definition is what differs.
      const changed = structuredClone(service);
      changed.schema.required = [...(changed.schema.required ?? []), 'readme'];
      changed.relations!.dependsOn = { ...changed.relations!.dependsOn, many: false };
      writeFiles(repo, { '.port/blueprints/service.json': json(changed) });
      const plan = JSON.parse(
        (await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env })).stdout,
      ) as Report;
      const classes = Object.fromEntries((plan.blueprints ?? []).map((c) => [c.path, c.class]));
      const sync = await runCli(['sync', '--all', '--allow-breaking', '--allow-destructive'], {
        cwd: repo,
        env,
      });
      const live = await apiGet<{ entity: { relations: Record<string, unknown> } }>(
        port.url,
        '/v1/blueprints/service/entities/api',
      );
      outcomes[decisions.requiredOnExisting] = {
        classes,
        code: sync.code,
        refused: /Port refused/.test(sync.stderr),
        dependsOnKept: 'dependsOn' in live.body.entity.relations,
      };
    }
    const held = {
      'schema.properties.readme.required': 'breaking',
      'relations.dependsOn.many': 'destructive',
    };
    // Accepted: the definition is written, the reshaped relation's values go, the invalid file waits.
    expect(outcomes.accept).toMatchObject({ classes: held, code: 1, refused: false, dependsOnKept: false });
    expect(outcomes.refuse).toMatchObject({ classes: held, code: 3, refused: true, dependsOnKept: true });
  });

  it('--delete-entities deletes every entity Port holds of a retired blueprint, then the blueprint', async () => {
    const legacy = { identifier: 'legacy', title: 'Legacy', schema: { properties: {} } };
    const repo = makeRepo({
      ...exampleBlueprints(),
      '.port/blueprints/legacy.json': json(legacy),
      'port-gitops.config.json': json({ manageBlueprints: true }),
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    // Entities no file defines: written by someone else.
    for (const identifier of ['x', 'y']) writtenElsewhere(port, 'legacy', { identifier });
    git(repo, 'rm', '-q', '.port/blueprints/legacy.json');
    git(repo, 'commit', '-q', '-m', 'retire legacy');

    const blocked = await runCli(['sync', '--base', 'HEAD~1', '--allow-destructive'], { cwd: repo, env });
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain('--delete-entities legacy');
    expect(
      port.store
        .list('legacy')
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(['x', 'y']);

    const done = await runCli(['sync', '--base', 'HEAD~1', '--delete-entities', 'legacy'], { cwd: repo, env });
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('blueprint legacy deleted');
    expect((await apiGet(port.url, '/v1/blueprints/legacy')).status).toBe(404);
    // Through Port's all-entities route, its migration polled until it ended.
    const deletion = port.exchanges.find((e) => e.route === '/v1/blueprints/{blueprint_identifier}/all-entities');
    expect(deletion).toMatchObject({ method: 'DELETE', query: { delete_blueprint: ['true'] }, status: 200 });
    expect(port.exchanges.some((e) => e.route === '/v1/migrations/{migration_id}')).toBe(true);
  });

  it('--delete-entities deletes entity by entity a blueprint with a required relation (all-entities refuses it)', async () => {
    const legacy = {
      identifier: 'legacy',
      title: 'Legacy',
      schema: { properties: {} },
      relations: { domain: { title: 'Domain', target: 'domain', many: false, required: true } },
    };
    const repo = makeRepo({
      ...exampleBlueprints(),
      '.port/blueprints/legacy.json': json(legacy),
      'port-gitops.config.json': json({ manageBlueprints: true }),
      'd/port.yml': 'identifier: payments\nblueprint: domain\ntitle: Payments\n',
    });
    const port = await emulator({ record: true });
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    writtenElsewhere(port, 'legacy', { identifier: 'x', relations: { domain: 'payments' } });
    git(repo, 'rm', '-q', '.port/blueprints/legacy.json');
    git(repo, 'commit', '-q', '-m', 'retire legacy');
    const done = await runCli(['sync', '--base', 'HEAD~1', '--delete-entities', 'legacy'], { cwd: repo, env });
    expect(done.stderr).not.toMatch(/error/);
    expect(done.code).toBe(0);
    expect((await apiGet(port.url, '/v1/blueprints/legacy')).status).toBe(404);
    expect(port.exchanges.some((e) => e.route.endsWith('/all-entities'))).toBe(false);
    expect(
      port.exchanges.some(
        (e) =>
          e.method === 'DELETE' && e.route === '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}',
      ),
    ).toBe(true);
  });

  it("the Action's allow-breaking input lets a sync write a breaking change", async () => {
    const files = exampleBlueprints();
    const domain = JSON.parse(files['.port/blueprints/domain.json']!) as Definition;
    domain.schema.properties.description = { ...domain.schema.properties.description, minLength: 3 };
    const repo = makeRepo({
      ...files,
      '.port/blueprints/domain.json': json(domain),
      'port-gitops.config.json': json({ manageBlueprints: ['domain'] }),
    });
    const port = await emulator();
    const inputs = {
      command: 'sync',
      all: 'true',
      'client-id': CREDENTIALS.PORT_CLIENT_ID,
      'client-secret': CREDENTIALS.PORT_CLIENT_SECRET,
      'base-url': port.url,
    };
    const env = { RUNNER_TEMP: makeDir({}) };
    const refused = await runAction(repo, inputs, env);
    expect(refused.code).toBe(3);
    expect(refused.stdout + refused.stderr).toContain('--allow-breaking');
    const allowed = await runAction(repo, { ...inputs, 'allow-breaking': 'true' }, env);
    expect(allowed.code).toBe(0);
    const live = await apiGet<{ blueprint: Definition }>(port.url, '/v1/blueprints/domain');
    expect(live.body.blueprint.schema.properties.description).toMatchObject({ minLength: 3 });
  });

  it('deletes two retired blueprints that relate to each other (a cycle) in one sync', async () => {
    const pair = {
      '.port/blueprints/left.json': json({
        identifier: 'left',
        title: 'Left',
        schema: { properties: {} },
        relations: { right: { title: 'Right', target: 'right', many: false, required: false } },
      }),
      '.port/blueprints/right.json': json({
        identifier: 'right',
        title: 'Right',
        schema: { properties: {} },
        relations: { left: { title: 'Left', target: 'left', many: false, required: false } },
      }),
    };
    const repo = makeRepo({
      ...exampleBlueprints(),
      ...pair,
      'port-gitops.config.json': json({ manageBlueprints: true }),
    });
    const port = await emulator();
    const env = syncEnv(port.url);
    expect((await runCli(['sync', '--all'], { cwd: repo, env })).code).toBe(0);
    git(repo, 'rm', '-q', '.port/blueprints/left.json', '.port/blueprints/right.json');
    git(repo, 'commit', '-q', '-m', 'retire the pair');
    const run = await runCli(['sync', '--base', 'HEAD~1', '--allow-destructive'], { cwd: repo, env });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    for (const id of ['left', 'right']) expect((await apiGet(port.url, `/v1/blueprints/${id}`)).status).toBe(404);
  });

  it('check refuses, offline, a managed definition Port would refuse, at its line and column', async () => {
    const repo = makeRepo({
      '.port/blueprints/area.json': '{\n  "identifier": "area",\n  "title": "",\n  "schema": { "properties": {} }\n}\n',
      '.port/blueprints/note.json': '{ "identifier": "note", "schema": { "properties": {} } }\n',
      'port-gitops.config.json': json({ manageBlueprints: ['area'] }),
    });
    const run = await runCli(['check', '--all'], { cwd: repo, env: {} });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      '.port/blueprints/area.json:3:12: Port would refuse this managed blueprint: title must NOT have fewer than 1 characters',
    );
    // A definition that only checks entities (note, without a title) is not Port's to take.
    writeFiles(repo, { 'port-gitops.config.json': json({}) });
    expect((await runCli(['check', '--all'], { cwd: repo, env: {} })).code).toBe(0);
  });
});
