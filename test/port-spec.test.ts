/**
 * The project's description of Port's API (packages/port-schema/src/routes.ts) checked against Port's own
 * OpenAPI description, when a path to it is given: PORT_OPENAPI=/path/to/apispec.yaml (.ci/run passes one
 * when it has one). Port's file is not part of this repository: its license forbids copying it. Without
 * it these tests are skipped, and the contract test still holds client and emulator to the description.
 */
import { readFileSync } from 'node:fs';
import type { Exchange } from '@port-gitops/emulator';
import { PORT_ROUTES } from '@port-gitops/port-schema';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { recordClientSession } from './client-session.js';

const SPEC_PATH = process.env.PORT_OPENAPI;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: { type?: string };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
}

/**
 * Fields that Port's docs show in entity answers but the spec's entity schemas leave out. The emulator
 * returns them as the docs do; they are removed before validation, and nothing else is.
 */
const DOCUMENTED_ENTITY_EXTRAS = ['blueprint', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'];

describe.skipIf(!SPEC_PATH)(`the description of Port's API against Port's OpenAPI file (${SPEC_PATH})`, () => {
  let spec: { paths: Record<string, Record<string, Operation>> };
  let ajv: Ajv2020;
  beforeAll(() => {
    // The spec has unquoted `=` operators; YAML 1.2's core schema reads them as plain strings.
    spec = parse(readFileSync(SPEC_PATH!, 'utf8'), { maxAliasCount: -1 });
    ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(spec as object, 'spec');
  });
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema;
    const path = schema.$ref.replace(/^#\//, '').split('/');
    return resolve(path.reduce((node: any, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec));
  };
  const operationOf = (method: string, path: string) => spec.paths[path]?.[method.toLowerCase()];

  it('has every described route, with the same query parameters, types and required flags', () => {
    for (const route of PORT_ROUTES) {
      const operation = operationOf(route.method, route.path);
      expect(operation, `${route.method} ${route.path} is in Port's spec`).toBeDefined();
      const theirs = new Map((operation!.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
      for (const [name, ours] of Object.entries(route.query ?? {})) {
        const parameter = theirs.get(name);
        expect(parameter, `${route.method} ${route.path} ?${name}`).toBeDefined();
        expect(parameter!.schema?.type, `?${name} type`).toBe(ours.type);
        expect(Boolean(parameter!.required), `?${name} required`).toBe(Boolean(ours.required));
      }
    }
  });

  it('describes request bodies as Port does: the same keys, required keys, closed objects and limits', () => {
    for (const route of PORT_ROUTES.filter((r) => r.body)) {
      const where = `${route.method} ${route.path}`;
      const theirs = resolve(operationOf(route.method, route.path)!.requestBody?.content['application/json']?.schema);
      expect(theirs, `${where} has a request body`).toBeDefined();
      const ours = route.body as Schema;
      for (const key of Object.keys(ours.properties ?? {}))
        expect(Object.keys(theirs!.properties ?? {}), where).toContain(key);
      expect([...(theirs!.required ?? [])].sort(), `${where} required`).toEqual([...(ours.required ?? [])].sort());
      if (ours.additionalProperties === false) expect(theirs!.additionalProperties, `${where} closed`).toBe(false);
      for (const [key, schema] of Object.entries(ours.properties ?? {})) {
        const their = resolve(theirs!.properties![key]);
        for (const limit of ['minItems', 'maxItems', 'minimum', 'maximum'] as const) {
          if (schema[limit] !== undefined) expect(their?.[limit], `${where} ${key}.${limit}`).toBe(schema[limit]);
        }
      }
    }
  });

  it("lists every status the description takes from the spec, and the spec's keys of each success", () => {
    for (const route of PORT_ROUTES) {
      const operation = operationOf(route.method, route.path)!;
      for (const [status, answer] of Object.entries(route.answers)) {
        if (answer.source !== 'spec') continue;
        expect(operation.responses[status], `${route.method} ${route.path} ${status}`).toBeDefined();
        if (Number(status) >= 300) continue;
        const theirs = resolve(operation.responses[status]!.content?.['application/json']?.schema as Schema);
        for (const key of Object.keys((answer.schema as Schema).properties ?? {})) {
          expect(Object.keys(theirs?.properties ?? {}), `${route.method} ${route.path} ${status}`).toContain(key);
        }
      }
    }
  });

  it("gives every sample entity body the same verdict as Port's own route schema (the emulator refuses with it)", () => {
    const samples: unknown[] = [
      { identifier: 'checkout' },
      { identifier: 'ünïcode-ok' },
      { identifier: '.' },
      { identifier: '...' },
      { identifier: 'has space' },
      { identifier: 'a=b:c/d+e@f' },
      { identifier: 'x'.repeat(1001) },
      { identifier: 'a', team: 'platform' },
      { identifier: 'a', team: ['platform', 'search'] },
      { identifier: 'a', team: 7 },
      { identifier: 'a', team: { combinator: 'and', rules: [] } },
      { identifier: 'a', title: 3 },
      { identifier: 'a', properties: 'no' },
      { identifier: 'a', relations: { domain: 'payments' } },
      { identifier: 'a', relations: { domain: 'pay ments' } },
      { identifier: 'a', relations: { deps: ['a', 'b c'] } },
      { identifier: 'a', relations: { deps: null } },
      { identifier: 'a', relations: { deps: 5 } },
      { identifier: 'a', extra: 'kept' },
    ];
    for (const route of [
      '/v1/blueprints/{blueprint_identifier}/entities',
      '/v1/blueprints/{blueprint_identifier}/entities/bulk',
    ]) {
      const pointer = ['paths', route, 'post', 'requestBody', 'content', 'application/json', 'schema']
        .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
        .join('/');
      const theirs = ajv.compile({ $ref: `spec#/${pointer}` });
      const ours = ajv.compile(PORT_ROUTES.find((r) => r.method === 'POST' && r.path === route)!.body!);
      for (const sample of samples) {
        const body = route.endsWith('/bulk') ? { entities: [sample] } : sample;
        expect(ours(body), `${route} ${JSON.stringify(sample).slice(0, 80)}`).toBe(theirs(body));
      }
    }
  });

  it("validates every emulator answer of a client session against the spec's schema for its status", async () => {
    const exchanges = await recordClientSession();
    for (const exchange of exchanges) {
      // An answer the description takes from elsewhere than the spec (403 has_dependents on a blueprint's
      // deletion, from Port's clients) has no schema there to hold it to.
      const described = PORT_ROUTES.find((r) => r.method === exchange.method && r.path === exchange.route);
      const answer = described?.answers[exchange.status];
      if (answer && answer.source !== 'spec') continue;
      const validate = ajv.compile({
        $ref: `spec#/${[
          'paths',
          exchange.route,
          exchange.method.toLowerCase(),
          'responses',
          String(exchange.status),
          'content',
          'application/json',
          'schema',
        ]
          .map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1'))
          .join('/')}`,
      });
      const ok = validate(withoutDocumentedExtras(exchange));
      expect(ok, `${exchange.method} ${exchange.route} ${exchange.status}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
  });
});

function withoutDocumentedExtras(exchange: Exchange): unknown {
  const strip = (entity: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entity).filter(([key]) => !DOCUMENTED_ENTITY_EXTRAS.includes(key)));
  const copy = structuredClone(exchange.responseBody) as {
    entity?: Record<string, unknown>;
    entities?: Array<Record<string, unknown>>;
  };
  if (copy?.entity) copy.entity = strip(copy.entity);
  // Bulk answers list results (`created`, `index`), not entities: those are left alone.
  if (Array.isArray(copy?.entities)) copy.entities = copy.entities.map((e) => ('index' in e ? e : strip(e)));
  return copy;
}
