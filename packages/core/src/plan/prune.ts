import { FatalError } from '../errors.js';
import type { LoadedFile, Problem } from '../model.js';
import type { PortApi } from '../port.js';
import type { DeleteOperation } from './operations.js';

export interface PruneOptions {
  /** The repository's stable name, as the User-Agent carries it. */
  repositoryId: string;
  /** At most this many deletions per blueprint; default 20% of the blueprint. */
  maxDeletes?: number;
  /** Past `maxDeletes`. */
  force: boolean;
}

/** Share of a blueprint's entities that --prune deletes without --force. */
const DEFAULT_MAX_DELETE_SHARE = 0.2;

/**
 * `sync --all --prune`: the entities of the blueprints the files manage that this repository wrote
 * (its User-Agent, recorded by Port as `$datasource`) and that no file defines any more. Refused,
 * before anything is written, when a file could not be read (its entities are unknown) or when it
 * would delete more than `maxDeletes` (default 20% of a blueprint) without `force`.
 */
export async function planPrune(
  files: LoadedFile[],
  problems: Problem[],
  port: Pick<PortApi, 'searchBlueprintEntities' | 'countEntities'>,
  options: PruneOptions,
): Promise<DeleteOperation[]> {
  const unreadable = problems.filter((p) => p.code === 'read' || p.code === 'parse' || p.code === 'shape');
  if (unreadable.length > 0) {
    const count = new Set(unreadable.map((p) => p.file)).size;
    throw new FatalError(
      'usage',
      `--prune needs every entity file readable, and ${count} is not (${unreadable[0]!.file}): nothing was pushed`,
      'fix the file, or run without --prune',
    );
  }
  const defined = new Map<string, Set<string>>();
  for (const file of files) {
    for (const entity of file.entities) {
      if (!entity.blueprint || !entity.identifier) continue;
      defined.set(entity.blueprint, (defined.get(entity.blueprint) ?? new Set()).add(entity.identifier));
    }
  }
  // `contains` on the stable parts of the User-Agent, never `=` on all of it: a newer port-gitops
  // version must still recognise what an older one wrote.
  const ours = {
    combinator: 'and' as const,
    rules: [
      { property: '$datasource', operator: 'contains', value: 'port-gitops/' },
      { property: '$datasource', operator: 'contains', value: `(repo/${options.repositoryId})` },
    ],
  };
  const deletions: DeleteOperation[] = [];
  const refusals: string[] = [];
  for (const [blueprint, identifiers] of defined) {
    const written = await port.searchBlueprintEntities(blueprint, ours);
    const gone = written
      .filter((entity) => !identifiers.has(entity.identifier))
      .map((entity) => entity.identifier)
      .sort();
    if (gone.length === 0) continue;
    const total = await port.countEntities(blueprint);
    const allowed = options.maxDeletes ?? Math.floor(total * DEFAULT_MAX_DELETE_SHARE);
    if (gone.length > allowed && !options.force) {
      const shown = `${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', …' : ''}`;
      refusals.push(`${gone.length} of ${total} entities of "${blueprint}" (the limit is ${allowed}): ${shown}`);
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
