import { type DeleteOperation, FatalError } from '@port-gitops/core';
import type { PortClient } from '@port-gitops/port-client';
import type { Loaded } from './pipeline.js';

export interface PruneFlags {
  maxDeletes?: number;
  force: boolean;
}

/** Share of a blueprint's entities that --prune deletes without --force. */
const DEFAULT_MAX_DELETE_SHARE = 0.2;

/**
 * `sync --all --prune`: the entities of the blueprints the files manage that this repository wrote
 * (its User-Agent, recorded by Port as `$datasource`, port-api.md §2.7) and that no file defines any
 * more. Refused, before anything is written, when a file could not be read (its entities are
 * unknown) or when it would delete more than `--max-deletes` (default 20% of a blueprint) without
 * `--force`.
 */
export async function planPrune(
  loaded: Loaded,
  client: PortClient,
  repositoryId: string,
  flags: PruneFlags,
): Promise<DeleteOperation[]> {
  const unreadable = loaded.validation.problems.filter(
    (p) => p.code === 'read' || p.code === 'parse' || p.code === 'shape',
  );
  if (unreadable.length > 0) {
    throw new FatalError(
      'usage',
      `--prune needs every entity file readable, and ${new Set(unreadable.map((p) => p.file)).size} is not (${unreadable[0]!.file}): nothing was pushed`,
      'fix the file, or run without --prune',
    );
  }
  const defined = new Map<string, Set<string>>();
  for (const file of loaded.files) {
    for (const entity of file.entities) {
      if (!entity.blueprint || !entity.identifier) continue;
      defined.set(entity.blueprint, (defined.get(entity.blueprint) ?? new Set()).add(entity.identifier));
    }
  }
  // `contains` on the stable parts of the User-Agent, never `=` on all of it: a newer port-gitops
  // version must still recognise what an older one wrote (port-api.md §2.7).
  const ours = {
    combinator: 'and' as const,
    rules: [
      { property: '$datasource', operator: 'contains', value: 'port-gitops/' },
      { property: '$datasource', operator: 'contains', value: `(repo/${repositoryId})` },
    ],
  };
  const deletions: DeleteOperation[] = [];
  const refusals: string[] = [];
  for (const [blueprint, identifiers] of defined) {
    const written = await client.searchBlueprintEntities(blueprint, ours);
    const gone = written
      .filter((entity) => !identifiers.has(entity.identifier))
      .map((entity) => entity.identifier)
      .sort();
    if (gone.length === 0) continue;
    const total = await client.countEntities(blueprint);
    const allowed = flags.maxDeletes ?? Math.floor(total * DEFAULT_MAX_DELETE_SHARE);
    if (gone.length > allowed && !flags.force) {
      refusals.push(
        `${gone.length} of ${total} entities of "${blueprint}" (the limit is ${allowed}): ${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', …' : ''}`,
      );
      continue;
    }
    deletions.push(
      ...gone.map((identifier): DeleteOperation => ({ action: 'delete', file: '', blueprint, identifier })),
    );
  }
  if (refusals.length > 0) {
    throw new FatalError(
      'usage',
      `--prune refuses to delete ${refusals.join('; ')}; nothing was pushed`,
      'see them with --dry-run, then pass --force, or a higher --max-deletes N',
    );
  }
  return deletions;
}
