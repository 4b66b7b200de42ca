/**
 * Holds the client and the emulator to the project's description of Port's API
 * (packages/port-schema/src/routes.ts), in every run: every request the client makes is a described
 * route, with declared query parameters (the required ones sent) and a body that validates against the
 * route's request schema; every answer of the emulator is a described status of its route and validates
 * against the schema for it. test/port-spec.test.ts checks the description itself against Port's
 * OpenAPI file when one is given.
 */
import type { Exchange } from '@port-gitops/emulator';
import { PORT_ROUTES, type RouteDescription } from '@port-gitops/port-schema';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordClientSession } from './client-session.js';
import { emulator } from './helpers.js';

const ajv = new Ajv({ strict: false, allErrors: true });
const routeOf = (exchange: Exchange): RouteDescription | undefined =>
  PORT_ROUTES.find((route) => route.method === exchange.method && route.path === exchange.route);

describe("contract with the project's description of Port's API", () => {
  let exchanges: Exchange[];
  beforeAll(async () => {
    exchanges = await recordClientSession();
  });

  it('covers every described route', () => {
    const routes = new Set(exchanges.map((e) => `${e.method} ${e.route}`));
    expect([...routes].sort()).toEqual(PORT_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    expect(exchanges.map((e) => e.status)).toEqual(expect.arrayContaining([200, 201, 207, 404]));
  });

  it('every request is a described route, with declared query parameters and the required ones', () => {
    for (const exchange of exchanges) {
      const route = routeOf(exchange);
      expect(route, `${exchange.method} ${exchange.route} is described`).toBeDefined();
      const declared = route!.query ?? {};
      for (const [name, values] of Object.entries(exchange.query)) {
        expect(Object.keys(declared), `${exchange.method} ${exchange.route} declares ?${name}`).toContain(name);
        if (declared[name]!.type === 'boolean') expect(values.every((v) => v === 'true' || v === 'false')).toBe(true);
      }
      for (const [name, parameter] of Object.entries(declared)) {
        if (parameter.required) expect(Object.keys(exchange.query), `sends required ?${name}`).toContain(name);
      }
    }
  });

  it("every request body validates against the route's request schema", () => {
    const withBodies = exchanges.filter((e) => e.requestBody !== undefined);
    expect(withBodies.length).toBeGreaterThan(5);
    for (const exchange of withBodies) {
      const validate = ajv.compile(routeOf(exchange)!.body ?? false);
      const ok = validate(exchange.requestBody);
      expect(ok, `${exchange.method} ${exchange.route}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it('every answer of the emulator is a described status and validates against its schema', () => {
    for (const exchange of exchanges) {
      const answer = routeOf(exchange)!.answers[exchange.status];
      expect(answer, `${exchange.method} ${exchange.route} describes status ${exchange.status}`).toBeDefined();
      const validate = ajv.compile(answer!.schema);
      const ok = validate(exchange.responseBody);
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
