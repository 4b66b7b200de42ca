import { type Route, route } from '../router.js';
import type { EntityStore } from '../store.js';
import type { SearchQuery, StoredEntity } from '../types.js';
import { present } from './entities.js';

const SEARCH_DEFAULT_LIMIT = 200;

/** The search routes; their bodies have passed the route's schema (limit, keys) before these run. */
export function searchRoutes(store: EntityStore): Route[] {
  return [
    route('POST', '/v1/entities/search', true, (ctx) => {
      const entities = store.search(ctx.body as SearchQuery);
      const blueprints = [...new Set(entities.map((e) => e.blueprint))];
      return {
        status: 200,
        body: { ok: true, matchingBlueprints: blueprints, failedBlueprints: [], entities: entities.map(present) },
      };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities/search', true, (ctx) => {
      const blueprint = ctx.params.blueprint_identifier!;
      const body = ctx.body as {
        query?: SearchQuery;
        limit?: number;
        from?: string;
        include?: string[];
        exclude?: string[];
      };
      const limit = body.limit ?? SEARCH_DEFAULT_LIMIT;
      const all = (body.query ? store.search(body.query, blueprint) : store.list(blueprint)).sort((a, b) =>
        a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0,
      );
      // The cursor is the last identifier of the previous page; stable while entities are added.
      const after = body.from === undefined ? undefined : Buffer.from(body.from, 'base64url').toString('utf8');
      const start = after === undefined ? 0 : all.findIndex((e) => e.identifier > after);
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const last = page.at(-1);
      const more = start >= 0 && start + limit < all.length;
      const next = more && last ? { next: Buffer.from(last.identifier).toString('base64url') } : {};
      const shown = page.map((entity) => select(present(entity), body.include, body.exclude));
      return { status: 200, body: { ok: true, entities: shown, ...next } };
    }),
  ];
}

/**
 * `include` keeps only the named parts of each entity and `exclude` leaves them out, by dotted path
 * (`identifier`, `properties.tier`), as Port's search route documents (docs/port-fidelity.md).
 */
function select(entity: Omit<StoredEntity, 'datasource'>, include?: string[], exclude?: string[]): object {
  const paths = (list: string[]) => list.map((path) => path.split('.'));
  let shown: Record<string, unknown> = entity as unknown as Record<string, unknown>;
  if (include && include.length > 0) {
    const kept: Record<string, unknown> = {};
    for (const [head, ...rest] of paths(include)) {
      const value = shown[head!];
      if (value === undefined) continue;
      if (rest.length === 0) kept[head!] = value;
      else {
        const inner = (value as Record<string, unknown>)[rest.join('.')];
        if (inner !== undefined) kept[head!] = { ...((kept[head!] as object) ?? {}), [rest.join('.')]: inner };
      }
    }
    shown = kept;
  }
  for (const [head, ...rest] of paths(exclude ?? [])) {
    if (rest.length === 0) {
      const { [head!]: _gone, ...others } = shown;
      shown = others;
    } else if (typeof shown[head!] === 'object' && shown[head!] !== null) {
      const { [rest.join('.')]: _gone, ...others } = shown[head!] as Record<string, unknown>;
      shown = { ...shown, [head!]: others };
    }
  }
  return shown;
}
