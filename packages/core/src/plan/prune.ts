import { FatalError } from '../errors.js';
import type { LoadedFile, Problem } from '../model.js';
import type { PortApi } from '../port.js';
import type { DeleteOperation } from './operations.js';

export interface PruneOptions {
  /** The repository's stable name, as the provenance property records it. */
  repositoryId: string;
  /** The config's `provenance` property: only entities whose provenance names this repository are pruned. */
  provenanceProperty: string | undefined;
  /** At most this many deletions per blueprint; default 20% of the blueprint. */
  maxDeletes?: number;
  /** Past `maxDeletes`. */
  force: boolean;
}

/** Share of a blueprint's entities that --prune deletes without --force. */
const DEFAULT_MAX_DELETE_SHARE = 0.2;

/**
 * `sync --all --prune`: the entities of the blueprints the files manage that this repository provably
 * wrote and that no file defines any more. Provably: the provenance property (config `provenance`) that
 * every push writes names this repository. An entity without it (a bare relation target Port created, one
 * written by hand or by another tool) or naming another repository is never deleted. Port's
 * `$datasource` is not used: when Port sets it, and on which entities, is not documented
 * (docs/port-fidelity.md). Refused, before anything is written, without a provenance property, when a
 * file could not be read (its entities are unknown), or when it would delete more than `maxDeletes`
 * (default 20% of a blueprint) without `force`.
 */
export async function planPrune(
  files: LoadedFile[],
  problems: Problem[],
  port: Pick<PortApi, 'searchBlueprintEntities'>,
  options: PruneOptions,
): Promise<DeleteOperation[]> {
  const property = options.provenanceProperty;
  if (!property) {
    throw new FatalError(
      'usage',
      '--prune deletes only entities whose provenance names this repository, and the config sets no "provenance": nothing was pushed',
      'set "provenance": { "property": "<an object property of each blueprint>" } in the config, run sync --all once to write it, then prune',
    );
  }
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
  const deletions: DeleteOperation[] = [];
  const refusals: string[] = [];
  for (const [blueprint, identifiers] of defined) {
    // Every entity of the blueprint, only its identifier and provenance: Port has no documented rule
    // that matches inside an object property, so the repository is compared here.
    const live = await port.searchBlueprintEntities(blueprint, undefined, {
      include: ['identifier', `properties.${property}`],
    });
    const gone = live
      .filter((entity) => !identifiers.has(entity.identifier) && writtenHere(entity.properties?.[property], options))
      .map((entity) => entity.identifier)
      .sort();
    if (gone.length === 0) continue;
    const total = live.length;
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

/** The provenance object a push wrote (`{ path, commit, repository }`) names this repository. */
function writtenHere(origin: unknown, options: PruneOptions): boolean {
  return (
    typeof origin === 'object' &&
    origin !== null &&
    (origin as { repository?: unknown }).repository === options.repositoryId
  );
}
