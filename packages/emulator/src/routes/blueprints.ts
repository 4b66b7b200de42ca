import { type Route, route } from '../router.js';
import type { EntityStore } from '../store.js';

export function blueprintRoutes(store: EntityStore): Route[] {
  return [
    route('GET', '/v1/blueprints', true, () => ({
      status: 200,
      body: { ok: true, blueprints: store.listBlueprints() },
    })),
    route('GET', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.blueprint(ctx.params.identifier!) },
    })),
  ];
}
