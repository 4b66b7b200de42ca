import type { PortApi, SearchQuery } from '../port.js';
import { isSearchQuery } from '../read/index.js';
import type { LiveEntities, Operation, UpsertOperation } from './operations.js';

/** Identifiers asked for in one search; Port documents no limit for `in`, so stay modest. */
const IDS_PER_SEARCH = 1000;

/**
 * The live entities behind these operations: per blueprint, a paginated search for their
 * identifiers, so that a plan of ten changes reads ten entities, not the catalog.
 */
export async function readLive(
  port: Pick<PortApi, 'searchBlueprintEntities'>,
  operations: Operation[],
  /** Only these parts of each entity (`identifier`, `properties.origin`); default the whole entity. */
  include?: string[],
): Promise<LiveEntities> {
  if (operations.length === 0) return new Map();
  const idsByBlueprint = new Map<string, string[]>();
  const queried: Operation[] = [];
  for (const operation of operations) {
    const { blueprint, identifier } = operation;
    // One a search query identifies is read by its query: the entity Port would write, if it finds one.
    if (operation.action === 'upsert' && isSearchQuery(operation.body.identifier)) {
      queried.push(operation);
      continue;
    }
    const ids = idsByBlueprint.get(blueprint);
    if (ids) ids.push(identifier);
    else idsByBlueprint.set(blueprint, [identifier]);
  }
  const live: LiveEntities = new Map();
  const foundIn = (blueprint: string) => {
    const found = live.get(blueprint) ?? new Map();
    live.set(blueprint, found);
    return found;
  };
  await Promise.all(
    queried.map(async (operation) => {
      const query = (operation as UpsertOperation).body.identifier as unknown as SearchQuery;
      const matches = await port.searchBlueprintEntities(operation.blueprint, query, include ? { include } : {});
      if (matches.length === 1) foundIn(operation.blueprint).set(operation.identifier, matches[0]!);
    }),
  );
  await Promise.all(
    [...idsByBlueprint].map(async ([blueprint, ids]) => {
      const found = foundIn(blueprint);
      for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
        const chunk = ids.slice(i, i + IDS_PER_SEARCH);
        const entities = await port.searchBlueprintEntities(
          blueprint,
          { combinator: 'and', rules: [{ property: '$identifier', operator: 'in', value: chunk }] },
          include ? { include } : {},
        );
        for (const entity of entities) found.set(entity.identifier, entity);
      }
    }),
  );
  return live;
}
