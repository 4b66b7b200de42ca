import type { SearchQuery } from '../port.js';

/**
 * An entity identified by a search query rather than by its identifier: a mapping's `identifier` that
 * gives `{ combinator, rules }` (Port's "map by property"). Port writes it into the one entity the query
 * matches, and refuses it when the query matches none or several; port-gitops cannot know which entity
 * that is before Port answers. So such an entity is keyed by its query (`IDENTIFIER_QUERY_MARK` and the
 * query's JSON) wherever an identifier keys one, is validated without the blueprint's requirements (it
 * updates an entity that has them), carries no provenance (so `--prune` never takes the entity it
 * updated for one of this repository's), and is never deleted, as Ocean never deletes one.
 */
const IDENTIFIER_QUERY_MARK = 'search:';

export function isSearchQuery(value: unknown): value is SearchQuery {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { combinator?: unknown }).combinator === 'string' &&
    Array.isArray((value as { rules?: unknown }).rules)
  );
}

/** The key an entity's identifier gives: the identifier, a query's mark and JSON, or undefined. */
export function identifierKey(identifier: unknown): string | undefined {
  if (typeof identifier === 'string') return identifier;
  return isSearchQuery(identifier) ? `${IDENTIFIER_QUERY_MARK}${JSON.stringify(identifier)}` : undefined;
}
