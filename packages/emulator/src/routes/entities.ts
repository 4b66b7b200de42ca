import { ApiError } from '../api-error.js';
import { type Context, type Route, booleanParam, headerValue, route } from '../router.js';
import type { EntityBody, EntityStore, WriteOptions } from '../store.js';
import type { StoredEntity } from '../types.js';

const bp = (ctx: Context) => ctx.params.blueprint_identifier!;

/** The query parameters of a write, and who writes (the token's client, the User-Agent as `$datasource`). */
function writeOptions(ctx: Context): WriteOptions {
  return {
    upsert: booleanParam(ctx.query, 'upsert'),
    merge: booleanParam(ctx.query, 'merge'),
    validationOnly: booleanParam(ctx.query, 'validation_only'),
    createMissingRelated: booleanParam(ctx.query, 'create_missing_related_entities'),
    actor: ctx.actor,
    datasource: headerValue(ctx.req, 'user-agent'),
  };
}

/** The entity as Port's GET answers it: the datasource is internal (whether Port returns it is unverified). */
export function present(entity: StoredEntity): Omit<StoredEntity, 'datasource'> {
  const { datasource: _datasource, ...shown } = entity;
  return shown;
}

export function entityRoutes(store: EntityStore): Route[] {
  return [
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities', true, (ctx) => {
      const { entity } = store.write(bp(ctx), ctx.body as EntityBody, writeOptions(ctx));
      return { status: 201, body: { ok: true, entity: present(entity) } };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities/bulk', true, (ctx) => bulkUpsert(store, ctx)),
    route('GET', '/v1/blueprints/{blueprint_identifier}/entities', true, (ctx) => ({
      status: 200,
      body: { ok: true, entities: store.list(bp(ctx)).map(present) },
    })),
    route('GET', '/v1/blueprints/{blueprint_identifier}/entities-count', true, (ctx) => ({
      status: 200,
      body: { ok: true, count: store.list(bp(ctx)).length },
    })),
    route('GET', '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, entity: present(store.get(bp(ctx), ctx.params.entity_identifier!)) },
    })),
    route('DELETE', '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}', true, (ctx) => {
      store.delete(bp(ctx), ctx.params.entity_identifier!, booleanParam(ctx.query, 'delete_dependents'));
      return { status: 200, body: { ok: true } };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/bulk/entities/delete', true, (ctx) => {
      const ids = (ctx.body as { entities: string[] }).entities;
      const deleted = store.deleteMany(bp(ctx), ids, booleanParam(ctx.query, 'delete_dependents'));
      return { status: 200, body: { ok: true, deletedEntities: deleted } };
    }),
  ];
}

/**
 * 200 when every entity was written, 207 Multi-Status with per-index errors otherwise. The body has
 * passed the route's schema as a whole already (a bad identifier in one entity refuses the request).
 */
function bulkUpsert(store: EntityStore, ctx: Context) {
  const entities = (ctx.body as { entities: EntityBody[] }).entities;
  store.blueprint(bp(ctx));
  const write = writeOptions(ctx);
  const succeeded: Array<{ created: boolean; identifier: string; index: number; additionalData: object }> = [];
  const failed: Array<{ identifier: string; index: number; statusCode: number; error: string; message: string }> = [];
  entities.forEach((body, index) => {
    try {
      const { entity, created } = store.write(bp(ctx), body, write);
      succeeded.push({ created, identifier: entity.identifier, index, additionalData: {} });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failed.push({
        identifier: typeof body.identifier === 'string' ? body.identifier : 'unknown',
        index,
        statusCode: error.status,
        error: error.error,
        message: error.message,
      });
    }
  });
  return {
    status: failed.length === 0 ? 200 : 207,
    body: { ok: failed.length === 0, entities: succeeded, errors: failed },
  };
}
