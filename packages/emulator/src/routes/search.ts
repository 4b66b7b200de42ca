import { MAX_SEARCH_PAGE } from '@port-gitops/port-schema';
import { ApiError } from '../api-error.js';
import { type Route, requireObject, route } from '../router.js';
import type { EntityStore } from '../store.js';
import type { SearchQuery } from '../types.js';
import { present } from './entities.js';

const SEARCH_DEFAULT_LIMIT = 200;

export function searchRoutes(store: EntityStore): Route[] {
  return [
    route('POST', '/v1/entities/search', true, (ctx) => {
      const entities = store.search(requireObject(ctx.body) as unknown as SearchQuery);
      const blueprints = [...new Set(entities.map((e) => e.blueprint))];
      return {
        status: 200,
        body: { ok: true, matchingBlueprints: blueprints, failedBlueprints: [], entities: entities.map(present) },
      };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities/search', true, (ctx) => {
      const blueprint = ctx.params.blueprint_identifier!;
      const body = requireObject(ctx.body) as { query?: SearchQuery; limit?: unknown; from?: unknown };
      const limit = body.limit === undefined ? SEARCH_DEFAULT_LIMIT : Number(body.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_PAGE) {
        throw new ApiError(422, `"limit" must be an integer from 1 to ${MAX_SEARCH_PAGE}`);
      }
      const all = (body.query ? store.search(body.query, blueprint) : store.list(blueprint)).sort((a, b) =>
        a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0,
      );
      // The cursor is the last identifier of the previous page; stable while entities are added.
      const after = typeof body.from === 'string' ? Buffer.from(body.from, 'base64url').toString('utf8') : undefined;
      const start = after === undefined ? 0 : all.findIndex((e) => e.identifier > after);
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const last = page.at(-1);
      const more = start >= 0 && start + limit < all.length;
      const next = more && last ? { next: Buffer.from(last.identifier).toString('base64url') } : {};
      return { status: 200, body: { ok: true, entities: page.map(present), ...next } };
    }),
  ];
}
