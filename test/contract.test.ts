/**
 * Holds the client and the emulator to Port's own OpenAPI description (../shared/port-openapi/apispec.yaml):
 * every request the client makes is a route of the spec, with declared query parameters and a body
 * that validates against the spec's request schema; every answer of the emulator validates against the
 * spec's response schema for its status.
 */
import { readFileSync } from 'node:fs';
import { PortClient } from '@port-gitops/port-client';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, emulator } from './helpers.js';
import type { Exchange } from '@port-gitops/emulator';

const SPEC_PATH = `${REPO_ROOT}../shared/port-openapi/apispec.yaml`;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

/**
 * Fields that Port's docs show in entity answers but the spec's entity schemas leave out
 * (port-api.md §2.3 and §9, "Gaps in the spec"). The emulator returns them as the docs do; they are
 * removed before validation, and nothing else is.
 */
const DOCUMENTED_ENTITY_EXTRAS = ['blueprint', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'];

let spec: { paths: Record<string, Record<string, Operation>> };
let ajv: Ajv2020;

beforeAll(() => {
  // The spec has unquoted `=` operators; YAML 1.2's core schema reads them as plain strings.
  spec = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 });
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(spec as object, 'spec');
});

const pointerTo = (...segments: string[]) =>
  `spec#/${segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

function validator(...segments: string[]) {
  return ajv.compile({ $ref: pointerTo(...segments) });
}

function withoutDocumentedExtras(body: unknown): unknown {
  const strip = (entity: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entity).filter(([key]) => !DOCUMENTED_ENTITY_EXTRAS.includes(key)));
  const copy = structuredClone(body) as { entity?: Record<string, unknown>; entities?: Array<Record<string, unknown>> };
  if (copy?.entity) copy.entity = strip(copy.entity);
  // Bulk answers list results (`created`, `index`), not entities: those are left alone.
  if (Array.isArray(copy?.entities)) copy.entities = copy.entities.map((e) => ('index' in e ? e : strip(e)));
  return copy;
}

/** Every exchange of a client session that touches each route the client offers. */
async function recordClientSession(): Promise<Exchange[]> {
  const port = await emulator({ record: true });
  const client = new PortClient({
    baseUrl: port.url,
    credentials: { clientId: 'contract', clientSecret: 'contract-secret' },
    userAgent: 'port-gitops/0.0.0 (repo/contract)',
  });
  await client.authenticate();
  await client.getBlueprint('service');
  await client.listBlueprints();
  await client.upsertEntities('domain', [
    { identifier: 'payments', title: 'Payments', properties: { description: 'money' } },
  ]);
  const services = Array.from({ length: 23 }, (_, i) => ({
    identifier: `svc-${String(i).padStart(2, '0')}`,
    title: `Service ${i}`,
    team: i % 2 ? 'payments' : ['payments', 'platform'],
    properties: { language: 'go', lifecycle: 'production', tier: 1 + (i % 3), tags: ['a'] },
    relations: { domain: 'payments', dependsOn: i > 0 ? ['svc-00'] : [] },
  }));
  services[5]!.properties.tier = 9; // rejected by the blueprint: a 207
  await client.upsertEntities('service', services);
  await client.upsertEntity('service', {
    identifier: 'single',
    properties: { language: 'go', lifecycle: 'experimental' },
  });
  await client.getEntity('service', 'svc-01');
  await client.getEntity('service', 'does-not-exist');
  await client.listEntities('service');
  await client.searchBlueprintEntities(
    'service',
    { combinator: 'and', rules: [{ property: 'language', operator: '=', value: 'go' }] },
    10,
  );
  await client.searchEntities({
    combinator: 'and',
    rules: [{ property: '$datasource', operator: 'contains', value: '(repo/contract)' }],
  });
  await client.deleteEntity('service', 'single');
  await client.deleteEntity('service', 'single').catch(() => undefined); // 404
  return port.exchanges;
}

describe("contract with Port's OpenAPI description", () => {
  let exchanges: Exchange[];
  beforeAll(async () => {
    exchanges = await recordClientSession();
  });

  it('covers every route the client offers', () => {
    const routes = new Set(exchanges.map((e) => `${e.method} ${e.route}`));
    expect([...routes].sort()).toEqual([
      'DELETE /v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}',
      'GET /v1/blueprints',
      'GET /v1/blueprints/{blueprint_identifier}/entities',
      'GET /v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}',
      'GET /v1/blueprints/{identifier}',
      'POST /v1/auth/access_token',
      'POST /v1/blueprints/{blueprint_identifier}/entities',
      'POST /v1/blueprints/{blueprint_identifier}/entities/bulk',
      'POST /v1/blueprints/{blueprint_identifier}/entities/search',
      'POST /v1/entities/search',
    ]);
    expect(exchanges.map((e) => e.status)).toEqual(expect.arrayContaining([200, 201, 207, 404]));
  });

  it('every request is a route of the spec, with declared query parameters and the required ones', () => {
    for (const exchange of exchanges) {
      const operation = spec.paths[exchange.route]?.[exchange.method.toLowerCase()];
      expect(operation, `${exchange.method} ${exchange.route} is in the spec`).toBeDefined();
      const declared = (operation!.parameters ?? []).filter((p) => p.in === 'query');
      for (const name of Object.keys(exchange.query)) {
        expect(
          declared.map((p) => p.name),
          `${exchange.method} ${exchange.route} declares ?${name}`,
        ).toContain(name);
      }
      for (const parameter of declared.filter((p) => p.required)) {
        expect(
          Object.keys(exchange.query),
          `${exchange.method} ${exchange.route} sends required ?${parameter.name}`,
        ).toContain(parameter.name);
      }
    }
  });

  it("every request body validates against the spec's request schema", () => {
    const withBodies = exchanges.filter((e) => e.requestBody !== undefined);
    expect(withBodies.length).toBeGreaterThan(5);
    for (const exchange of withBodies) {
      const validate = validator(
        'paths',
        exchange.route,
        exchange.method.toLowerCase(),
        'requestBody',
        'content',
        'application/json',
        'schema',
      );
      const ok = validate(exchange.requestBody);
      expect(ok, `${exchange.method} ${exchange.route}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it("every answer of the emulator validates against the spec's response schema for its status", () => {
    for (const exchange of exchanges) {
      const operation = spec.paths[exchange.route]![exchange.method.toLowerCase()]!;
      const documented = operation.responses[String(exchange.status)];
      expect(documented, `${exchange.method} ${exchange.route} documents status ${exchange.status}`).toBeDefined();
      const validate = validator(
        'paths',
        exchange.route,
        exchange.method.toLowerCase(),
        'responses',
        String(exchange.status),
        'content',
        'application/json',
        'schema',
      );
      const ok = validate(withoutDocumentedExtras(exchange.responseBody));
      expect(ok, `${exchange.method} ${exchange.route} ${exchange.status}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
  });

  it('answers outside the spec (409, 413, 422 on routes without it) still use the error envelope', async () => {
    const port = await emulator({ record: true });
    const token = (await (
      await fetch(`${port.url}/v1/auth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"clientId":"a","clientSecret":"b"}',
      })
    ).json()) as { accessToken: string };
    const post = (path: string, body: string) =>
      fetch(`${port.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
        body,
      });
    await post('/v1/blueprints/domain/entities', '{"identifier":"d"}');
    expect((await post('/v1/blueprints/domain/entities', '{"identifier":"d"}')).status).toBe(409);
    expect(
      (
        await post(
          '/v1/blueprints/domain/entities/bulk?upsert=true',
          JSON.stringify({ entities: [{ identifier: 'x', properties: { description: 'a'.repeat(1024 * 1024) } }] }),
        )
      ).status,
    ).toBe(413);
    for (const exchange of port.exchanges.filter((e) => e.status >= 400)) {
      expect(Object.keys(exchange.responseBody as object).sort()).toEqual(['error', 'message', 'ok']);
      expect((exchange.responseBody as { ok: boolean }).ok).toBe(false);
    }
  });
});
