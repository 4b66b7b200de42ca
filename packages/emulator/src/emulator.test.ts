import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Blueprint } from '@port-gitops/port-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from './server.js';
import type { EmulatorOptions } from './options.js';

const blueprints: Blueprint[] = [
  { identifier: 'team', schema: { properties: {} } },
  {
    identifier: 'service',
    schema: {
      properties: { language: { type: 'string' }, tier: { type: 'number', enum: [1, 2, 3] } },
      required: ['language'],
    },
    relations: {
      owner: { target: 'team', required: true, many: false },
      deps: { target: 'service', required: false, many: true },
    },
  },
];

const running: RunningEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function start(options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ port: 0, blueprints, ...options });
  running.push(emulator);
  const token = (
    (await (
      await fetch(`${emulator.url}/v1/auth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"clientId":"me","clientSecret":"pw"}',
      })
    ).json()) as { accessToken: string }
  ).accessToken;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'user-agent': 'emulator-test/1',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };
  return { emulator, call };
}

describe('emulator: start', () => {
  it('compiles the blueprints it starts with, and one it cannot compile fails only the writes it concerns', async () => {
    const broken: Blueprint = {
      identifier: 'broken',
      schema: { properties: { code: { type: 'string', pattern: '(' } } },
    };
    const { call } = await start({ blueprints: [...blueprints, broken] });
    expect((await call('POST', '/v1/blueprints/team/entities', { identifier: 't1' })).status).toBe(201);
    const refused = await call('POST', '/v1/blueprints/broken/entities', { identifier: 'b1', properties: {} });
    expect(refused.status).toBe(500);
    expect(refused.body.message).toContain('Invalid regular expression');
  });
});

describe('emulator: writes as Port documents them', () => {
  it('answers 409 to a plain create of an existing identifier, and overwrites with upsert=true', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities', { identifier: 't1', title: 'One' });
    expect((await call('POST', '/v1/blueprints/team/entities', { identifier: 't1' })).status).toBe(409);
    const replaced = await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 't1', icon: 'Team' });
    expect(replaced.status).toBe(201);
    expect(replaced.body.entity.title).toBeUndefined(); // override keeps only what was sent
  });

  it('merges with upsert=true&merge=true, and null clears a property', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities', { identifier: 'core' });
    await call('POST', '/v1/blueprints/service/entities', {
      identifier: 's',
      title: 'S',
      properties: { language: 'go', tier: 1 },
      relations: { owner: 'core' },
    });
    const merged = await call('POST', '/v1/blueprints/service/entities?upsert=true&merge=true', {
      identifier: 's',
      properties: { tier: null },
    });
    expect(merged.body.entity).toMatchObject({
      title: 'S',
      properties: { language: 'go' },
      relations: { owner: 'core' },
    });
    expect(merged.body.entity.properties).not.toHaveProperty('tier');
  });

  it('creates bare relation targets with create_missing_related_entities=true', async () => {
    const { call } = await start();
    const created = await call('POST', '/v1/blueprints/service/entities?create_missing_related_entities=true', {
      identifier: 's',
      properties: { language: 'go' },
      relations: { owner: 'ghost' },
    });
    expect(created.status).toBe(201);
    expect((await call('GET', '/v1/blueprints/team/entities/ghost')).body.entity).toMatchObject({
      identifier: 'ghost',
      properties: {},
    });
  });

  it('writes nothing with validation_only, but answers as a write would', async () => {
    const { call, emulator } = await start();
    const answer = await call('POST', '/v1/blueprints/team/entities?upsert=true&validation_only=true', {
      identifier: 'ghost',
    });
    expect(answer.status).toBe(201);
    expect(emulator.store.entities()).toEqual([]);
  });

  it('answers 200 or 207 on the bulk route, a blueprint failure mapped to its index', async () => {
    const { call } = await start();
    const all = await call('POST', '/v1/blueprints/team/entities/bulk?upsert=true', {
      entities: [{ identifier: 'a' }, { identifier: 'b' }],
    });
    expect(all).toMatchObject({ status: 200, body: { ok: true, errors: [] } });
    await call('POST', '/v1/blueprints/team/entities', { identifier: 'core' });
    const some = await call('POST', '/v1/blueprints/service/entities/bulk?upsert=true', {
      entities: [
        { identifier: 'c', properties: { language: 'go' }, relations: { owner: 'core' } },
        { identifier: 'd', properties: { language: 'go', tier: 7 }, relations: { owner: 'core' } },
        { identifier: 'e', properties: { language: 'go' }, relations: { owner: 'core' } },
      ],
    });
    expect(some.status).toBe(207);
    expect(some.body.entities.map((e: any) => e.index)).toEqual([0, 2]);
    expect(some.body.errors).toEqual([
      expect.objectContaining({ index: 1, identifier: 'd', statusCode: 422, error: 'blueprint_schema_mismatch' }),
    ]);
  });

  it('refuses to orphan a required relation unless dependents go too; bulk delete is all or nothing', async () => {
    const { call, emulator } = await start();
    await call('POST', '/v1/blueprints/team/entities/bulk?upsert=true', {
      entities: [{ identifier: 'core' }, { identifier: 'spare' }],
    });
    await call('POST', '/v1/blueprints/service/entities', {
      identifier: 's',
      properties: { language: 'go' },
      relations: { owner: 'core' },
    });
    expect((await call('DELETE', '/v1/blueprints/team/entities/core?delete_dependents=false')).status).toBe(403);
    expect(
      (
        await call('POST', '/v1/blueprints/team/bulk/entities/delete?delete_dependents=false', {
          entities: ['spare', 'core'],
        })
      ).status,
    ).toBe(403);
    expect(
      emulator.store
        .entities()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(['core', 's', 'spare']);
    expect((await call('DELETE', '/v1/blueprints/team/entities/core?delete_dependents=true')).status).toBe(200);
    expect(emulator.store.entities().map((e) => e.identifier)).toEqual(['spare']);
  });

  it('pages a blueprint search with limit and next, and records the User-Agent as $datasource', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities/bulk?upsert=true', {
      entities: Array.from({ length: 5 }, (_, i) => ({ identifier: `t${i}` })),
    });
    const seen: string[] = [];
    let from: string | undefined;
    do {
      const page = await call('POST', '/v1/blueprints/team/entities/search', { limit: 2, ...(from ? { from } : {}) });
      seen.push(...page.body.entities.map((e: any) => e.identifier));
      from = page.body.next;
    } while (from);
    expect(seen).toEqual(['t0', 't1', 't2', 't3', 't4']);
    const mine = await call('POST', '/v1/entities/search', {
      combinator: 'and',
      rules: [{ property: '$datasource', operator: 'contains', value: 'emulator-test/' }],
    });
    expect(mine.body.entities).toHaveLength(5);
  });
});

describe('emulator: blueprint replacement', () => {
  it('replaces every key, refuses a type change in place, and drops a removed property from entities', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'core' });
    const written = await call('POST', '/v1/blueprints/service/entities?upsert=true', {
      identifier: 'api',
      properties: { language: 'go', tier: 2 },
      relations: { owner: 'core' },
    });
    expect(written.status).toBe(201);
    const service = blueprints[1]!;
    const retyped = await call('PUT', '/v1/blueprints/service', {
      ...service,
      title: 'Service',
      schema: { ...service.schema, properties: { ...service.schema.properties, tier: { type: 'string' } } },
    });
    expect(retyped.status).toBe(422);
    expect(retyped.body.error).toBe('forbidden_format_change');

    const replaced = await call('PUT', '/v1/blueprints/service', {
      ...service,
      title: 'Service',
      schema: { properties: { language: { type: 'string' } }, required: ['language'] },
      relations: { owner: service.relations!.owner },
      unmodelled: { kept: true },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.blueprint).toMatchObject({ title: 'Service', unmodelled: { kept: true } });
    const entity = (await call('GET', '/v1/blueprints/service/entities/api')).body.entity;
    expect(entity.properties).toEqual({ language: 'go' });
    expect(entity.relations).toEqual({ owner: 'core' });
    const unknownTarget = await call('PUT', '/v1/blueprints/service', {
      ...service,
      title: 'Service',
      relations: { owner: { target: 'nowhere', required: false, many: false } },
    });
    expect(unknownTarget.status).toBe(404);
  });
});

describe('emulator: partial updates and migrations', () => {
  const poll = async (call: Awaited<ReturnType<typeof start>>['call'], id: string) => {
    const seen: string[] = [];
    for (;;) {
      const { status } = (await call('GET', `/v1/migrations/${id}`)).body.migration;
      if (seen.at(-1) !== status) seen.push(status);
      if (status === 'COMPLETED' || status === 'FAILURE') return seen;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('merges a PATCH part by part, keeping the parts it does not name, with the rules of a replacement', async () => {
    const { call } = await start();
    const patched = await call('PATCH', '/v1/blueprints/service', {
      schema: { properties: { url: { type: 'string' } } },
      relations: { mentor: { target: 'team', required: false, many: false } },
    });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body.blueprint.schema.properties).sort()).toEqual(['language', 'tier', 'url']);
    expect(patched.body.blueprint.schema.required).toEqual(['language']);
    expect(Object.keys(patched.body.blueprint.relations).sort()).toEqual(['deps', 'mentor', 'owner']);
    const retyped = await call('PATCH', '/v1/blueprints/service', {
      schema: { properties: { tier: { type: 'string' } } },
    });
    expect(retyped.body.error).toBe('forbidden_format_change');
    // Port's own blueprints are extended so, never replaced.
    expect(
      (await call('PATCH', '/v1/blueprints/_team', { schema: { properties: { slack: { type: 'string' } } } })).status,
    ).toBe(200);
    expect(
      (await call('PATCH', '/v1/blueprints/_team', { schema: { properties: { description: { type: 'number' } } } }))
        .status,
    ).toBe(422);
  });

  it('copies values by a jq migration, entity by entity, and ends FAILURE naming how many were refused', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'core' });
    await call('PATCH', '/v1/blueprints/service', {
      schema: { properties: { level: { type: 'number', minimum: 2 } } },
    });
    for (const [identifier, tier] of [
      ['a', 1],
      ['b', 3],
      ['c', undefined],
    ] as const)
      await call('POST', '/v1/blueprints/service/entities?upsert=true', {
        identifier,
        properties: { language: 'go', ...(tier ? { tier } : {}) },
        relations: { owner: 'core' },
      });
    const started = await call('POST', '/v1/migrations', {
      sourceBlueprint: 'service',
      mapping: {
        blueprint: 'service',
        filter: '.properties.tier != null',
        entity: { identifier: '.identifier', properties: { level: '.properties.tier' } },
      },
    });
    expect(started.body.migration.status).toBe('PENDING');
    expect((await poll(call, started.body.migration.id)).at(-1)).toBe('FAILURE');
    const failed = (await call('GET', `/v1/migrations/${started.body.migration.id}`)).body.migration;
    expect(failed).toMatchObject({
      status: 'FAILURE',
      failureReason: expect.stringContaining('1 of 2 entities were refused (first: a:'),
    });
    const level = async (id: string) =>
      (await call('GET', `/v1/blueprints/service/entities/${id}`)).body.entity.properties.level;
    expect([await level('a'), await level('b'), await level('c')]).toEqual([undefined, 3, undefined]);
    expect((await call('GET', '/v1/migrations/nope')).status).toBe(404);
  });

  it('deletes every entity of a blueprint as a migration, then the blueprint with delete_blueprint=true', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'core' });
    await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'edge' });
    // A blueprint with a required relation is refused (Port's docs), and so is one another targets.
    expect((await call('DELETE', '/v1/blueprints/service/all-entities')).status).toBe(422);
    expect((await call('DELETE', '/v1/blueprints/team/all-entities?delete_blueprint=true')).body.error).toBe(
      'has_dependents',
    );
    const emptied = await call('DELETE', '/v1/blueprints/team/all-entities?delete_blueprint=false');
    expect(emptied.body).toEqual({ ok: true, migrationId: expect.any(String) });
    expect((await poll(call, emptied.body.migrationId)).at(-1)).toBe('COMPLETED');
    expect((await call('GET', '/v1/blueprints/team/entities-count')).body.count).toBe(0);
    expect((await call('GET', '/v1/blueprints/team')).status).toBe(200);
    await call('POST', '/v1/blueprints', { identifier: 'scratch', title: 'Scratch', schema: { properties: {} } });
    await call('POST', '/v1/blueprints/scratch/entities?upsert=true', { identifier: 'x' });
    const gone = await call('DELETE', '/v1/blueprints/scratch/all-entities?delete_blueprint=true');
    expect((await poll(call, gone.body.migrationId)).at(-1)).toBe('COMPLETED');
    expect((await call('GET', '/v1/blueprints/scratch')).status).toBe(404);
  });
});

describe('emulator: ownership changes', () => {
  it("drops or keeps entities' teams when they stop being owned directly, as told", async () => {
    const kept: Record<string, unknown> = {};
    for (const teamsOnOwnershipChange of ['drop', 'keep'] as const) {
      const { call } = await start({ teams: ['platform'], blueprintChanges: { teamsOnOwnershipChange } });
      await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'core' });
      await call('POST', '/v1/blueprints/service/entities?upsert=true', {
        identifier: 'api',
        team: 'platform',
        properties: { language: 'go' },
        relations: { owner: 'core' },
      });
      const service = blueprints[1]!;
      const put = await call('PUT', '/v1/blueprints/service', {
        ...service,
        title: 'Service',
        ownership: { type: 'Inherited', path: 'owner' },
      });
      expect(put.status).toBe(200);
      kept[teamsOnOwnershipChange] = (await call('GET', '/v1/blueprints/service/entities/api')).body.entity.team;
    }
    expect(kept).toEqual({ drop: [], keep: ['platform'] });
  });
});

describe('emulator: what Port knows that a test must give it', () => {
  it("refuses to start with a relation to a blueprint it was not given, and knows Port's _user and _team", async () => {
    await expect(startEmulator({ port: 0, blueprints: [blueprints[1]!] })).rejects.toThrow(
      'blueprint "service" has a relation "owner" to blueprint "team", which the emulator was not given',
    );
    const withUsers = await startEmulator({
      port: 0,
      blueprints: [
        {
          identifier: 'doc',
          schema: { properties: {} },
          relations: { author: { target: '_user', required: false, many: false } },
        },
      ],
    });
    running.push(withUsers);
    expect(withUsers.store.listBlueprints().map((b) => b.identifier)).toEqual(['doc', '_user', '_team']);
  });

  it('takes teams that exist, from the start or written as _team entities, and refuses others', async () => {
    const { call } = await start({ teams: ['platform'] });
    expect(
      (await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'a', team: 'platform' })).status,
    ).toBe(201);
    const refused = await call('POST', '/v1/blueprints/team/entities?upsert=true', {
      identifier: 'b',
      team: ['platform', 'data'],
    });
    expect(refused).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(refused.body.message).toContain('"data"');
    expect((await call('POST', '/v1/blueprints/_team/entities?upsert=true', { identifier: 'data' })).status).toBe(201);
    expect(
      (await call('POST', '/v1/blueprints/team/entities?upsert=true', { identifier: 'b', team: ['platform', 'data'] }))
        .status,
    ).toBe(201);
  });

  it('searches with relation rules, reads properties only in property rules, and returns what include asks for', async () => {
    const { call } = await start();
    await call('POST', '/v1/blueprints/team/entities/bulk?upsert=true', {
      entities: [{ identifier: 'core' }, { identifier: 'edge' }],
    });
    await call('POST', '/v1/blueprints/service/entities/bulk?upsert=true', {
      entities: [
        { identifier: 'a', properties: { language: 'go' }, relations: { owner: 'core' } },
        { identifier: 'b', properties: { language: 'go' }, relations: { owner: 'edge', deps: ['a'] } },
      ],
    });
    const search = async (body: unknown) =>
      (await call('POST', '/v1/blueprints/service/entities/search', body)).body.entities;
    const byRelation = await search({
      query: { combinator: 'and', rules: [{ relation: 'owner', operator: '=', value: 'edge' }] },
    });
    expect(byRelation.map((e: any) => e.identifier)).toEqual(['b']);
    const many = await search({
      query: { combinator: 'and', rules: [{ relation: 'deps', operator: 'containsAny', value: ['a'] }] },
    });
    expect(many.map((e: any) => e.identifier)).toEqual(['b']);
    // A property rule naming a relation finds nothing: in Port, `property` names properties.
    expect(
      await search({ query: { combinator: 'and', rules: [{ property: 'owner', operator: '=', value: 'edge' }] } }),
    ).toEqual([]);
    expect(await search({ include: ['identifier', 'properties.language'] })).toEqual([
      { identifier: 'a', properties: { language: 'go' } },
      { identifier: 'b', properties: { language: 'go' } },
    ]);
    const without = await search({ exclude: ['relations', 'properties.language'] });
    expect(without[0]).not.toHaveProperty('relations');
    expect(without[0].properties).toEqual({});
    expect(without[0].identifier).toBe('a');
  });
});

describe('emulator: auth, limits, persistence, faults', () => {
  it('returns the same token while valid, and 401 without a valid one', async () => {
    const { emulator } = await start();
    const ask = async () =>
      (
        (await (
          await fetch(`${emulator.url}/v1/auth/access_token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"clientId":"me","clientSecret":"pw"}',
          })
        ).json()) as any
      ).accessToken;
    expect(await ask()).toBe(await ask());
    const anonymous = await fetch(`${emulator.url}/v1/blueprints`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ok: false, error: 'unauthorized' });
  });

  it('expires tokens after the configured lifetime', async () => {
    const { call } = await start({ tokenTtlSeconds: 1 });
    expect((await call('GET', '/v1/blueprints')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('GET', '/v1/blueprints')).status).toBe(401);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const { call } = await start();
    const answer = await call('POST', '/v1/blueprints/team/entities', {
      identifier: 'big',
      title: 'x'.repeat(1024 * 1024),
    });
    expect(answer).toMatchObject({ status: 413, body: { ok: false, error: 'bad_request' } });
  });

  it('keeps entities across restarts with a data file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-data-'));
    try {
      const first = await start({ dataFile: join(dir, 'data.json') });
      await first.call('POST', '/v1/blueprints/team/entities', { identifier: 'kept' });
      await first.emulator.close();
      running.pop();
      const second = await start({ dataFile: join(dir, 'data.json') });
      expect((await second.call('GET', '/v1/blueprints/team/entities/kept')).status).toBe(200);
      await second.emulator.close();
      running.pop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sends Port's x-ratelimit-* headers on every answer, with 5-minute windows, and no Retry-After on 429", async () => {
    const { call, emulator } = await start();
    const answers = [await call('GET', '/v1/blueprints'), await call('GET', '/v1/blueprints/team/entities/nobody')];
    const token = await fetch(`${emulator.url}/v1/auth/access_token`, { method: 'POST', body: '{}' });
    for (const headers of [...answers.map((a) => a.headers), token.headers]) {
      expect(headers.get('x-ratelimit-period')).toBe('300');
      expect(Number(headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
    expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('15000');
    expect(answers[1]!.headers.get('x-ratelimit-limit')).toBe('35000');
    expect(token.headers.get('x-ratelimit-limit')).toBe('100');
    const throttled = await start({ rateLimit: { requests: 3, windowSeconds: 60 } });
    const statuses = [];
    let last: Headers | undefined;
    for (let i = 0; i < 4; i++) {
      const answer = await throttled.call('GET', '/v1/blueprints');
      statuses.push(answer.status);
      last = answer.headers;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.get('x-ratelimit-remaining')).toBe('0');
    expect(last!.get('retry-after')).toBeNull();
    const off = await start({ rateLimit: false });
    expect((await off.call('GET', '/v1/blueprints')).headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('injects 5xx answers and dropped connections at the configured rates, reproducibly with a seed', async () => {
    const { call } = await start({ errorRate: 0.5, seed: 42 });
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await call('GET', '/v1/blueprints')).status);
    const failures = statuses.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    const dropping = await startEmulator({ port: 0, blueprints, resetRate: 1 });
    running.push(dropping);
    await expect(fetch(`${dropping.url}/v1/auth/access_token`, { method: 'POST', body: '{}' })).rejects.toThrow(
      'fetch failed',
    );
  });
});
