import type { LiveEntity, PortApi } from '../port.js';
import type { LiveEntities, Operation } from './operations.js';

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
  for (const { blueprint, identifier } of operations) {
    const ids = idsByBlueprint.get(blueprint);
    if (ids) ids.push(identifier);
    else idsByBlueprint.set(blueprint, [identifier]);
  }
  const live: LiveEntities = new Map();
  await Promise.all(
    [...idsByBlueprint].map(async ([blueprint, ids]) => {
      const found = new Map<string, LiveEntity>();
      for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
        const chunk = ids.slice(i, i + IDS_PER_SEARCH);
        const entities = await port.searchBlueprintEntities(
          blueprint,
          { combinator: 'and', rules: [{ property: '$identifier', operator: 'in', value: chunk }] },
          include ? { include } : {},
        );
        for (const entity of entities) found.set(entity.identifier, entity);
      }
      live.set(blueprint, found);
    }),
  );
  return live;
}
