import type { LiveEntities, Operation } from '@port-gitops/core';
import type { PortClient } from '@port-gitops/port-client';

/** Identifiers asked for in one search; Port documents no limit for `in`, so stay modest. */
const IDS_PER_SEARCH = 1000;

/**
 * The live entities behind these operations: per blueprint, a paginated search for their
 * identifiers (port-api.md §2.5), so that a plan of ten changes reads ten entities, not the catalog.
 */
export async function readLive(client: PortClient, operations: Operation[]): Promise<LiveEntities> {
  const idsByBlueprint = new Map<string, string[]>();
  for (const operation of operations)
    idsByBlueprint.set(operation.blueprint, [...(idsByBlueprint.get(operation.blueprint) ?? []), operation.identifier]);
  const live: LiveEntities = new Map();
  await Promise.all(
    [...idsByBlueprint].map(async ([blueprint, ids]) => {
      const found = new Map<string, Awaited<ReturnType<PortClient['searchBlueprintEntities']>>[number]>();
      for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
        const chunk = ids.slice(i, i + IDS_PER_SEARCH);
        const entities = await client.searchBlueprintEntities(blueprint, {
          combinator: 'and',
          rules: [{ property: '$identifier', operator: 'in', value: chunk }],
        });
        for (const entity of entities) found.set(entity.identifier, entity);
      }
      live.set(blueprint, found);
    }),
  );
  return live;
}
