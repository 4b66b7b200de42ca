import type { Blueprint } from '@port-gitops/port-schema';
import { booleanParam, type Route, route } from '../router.js';
import type { EntityStore } from '../store.js';

export function blueprintRoutes(store: EntityStore): Route[] {
  return [
    route('POST', '/v1/blueprints', true, (ctx) => {
      // Read for its type only: the emulator has no catalog pages to create.
      booleanParam(ctx.query, 'create_catalog_page');
      return { status: 201, body: { ok: true, blueprint: store.createBlueprint(ctx.body as Blueprint, ctx.actor) } };
    }),
    route('GET', '/v1/blueprints', true, () => ({
      status: 200,
      body: { ok: true, blueprints: store.listBlueprints() },
    })),
    route('GET', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.blueprint(ctx.params.identifier!) },
    })),
    route('DELETE', '/v1/blueprints/{identifier}', true, (ctx) => {
      store.deleteBlueprint(ctx.params.identifier!);
      return { status: 200, body: { ok: true } };
    }),
    route('PUT', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.replaceBlueprint(ctx.params.identifier!, ctx.body as Blueprint, ctx.actor) },
    })),
  ];
}
