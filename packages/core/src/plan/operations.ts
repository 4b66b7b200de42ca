import type { LoadedEntity } from '../model.js';
import type { LiveEntity } from '../port.js';
import { isSearchQuery } from '../read/index.js';
import type { RemovedEntity } from '../select/index.js';
import { type FieldChange, compareWithLive } from './compare.js';

/** One write to make in Port. */
export type Operation =
  | {
      action: 'upsert';
      file: string;
      blueprint: string;
      identifier: string;
      /** The request body: the entity as written, without `blueprint` (it goes in the route). */
      body: Record<string, unknown> & { identifier: string };
    }
  | { action: 'delete'; file: string; blueprint: string; identifier: string };

export type UpsertOperation = Extract<Operation, { action: 'upsert' }>;
export type DeleteOperation = Extract<Operation, { action: 'delete' }>;

export interface PushResult {
  operation: Operation;
  result: 'ok' | 'failed' | 'planned' | 'skipped';
  error?: { status: number; code: string; message: string };
  /** Why a write was left out, when that needs saying (Port holds a newer commit's value). */
  reason?: string;
  /** Compared with Port's live entity (plan, --skip-unchanged): what the write changes. */
  change?: 'create' | 'update' | 'unchanged' | 'delete';
  diff?: FieldChange[];
}

/** Live entities by blueprint and identifier. */
export type LiveEntities = Map<string, Map<string, LiveEntity>>;

/**
 * Each operation compared with what Port holds: creates, updates (with their field changes),
 * deletions of entities Port still has, and what is already as the files say. Unchanged entities get
 * result `ok` (nothing to write); the others `planned`.
 */
export function compareOperations(
  operations: Operation[],
  live: LiveEntities,
  provenanceProperty?: string,
): PushResult[] {
  return operations.map((operation): PushResult => {
    const current = live.get(operation.blueprint)?.get(operation.identifier);
    if (operation.action === 'delete') {
      return current
        ? { operation, result: 'planned', change: 'delete' }
        : { operation, result: 'ok', change: 'unchanged' };
    }
    if (isSearchQuery(operation.body.identifier)) {
      // Port writes it into the one entity its query finds (readLive read that one), or refuses it.
      if (!current) {
        return {
          operation,
          result: 'planned',
          change: 'update',
          reason: 'its search query finds no entity in Port, or several: Port will refuse it',
        };
      }
      const body = { ...operation.body, identifier: current.identifier };
      const { change, diff } = compareWithLive(withoutProperty(body, provenanceProperty), current);
      return {
        operation,
        result: change === 'unchanged' ? 'ok' : 'planned',
        change,
        ...(diff.length > 0 ? { diff } : {}),
      };
    }
    // The provenance changes with every commit: it alone does not make an entity differ.
    const { change, diff } = compareWithLive(withoutProperty(operation.body, provenanceProperty), current);
    return {
      operation,
      result: change === 'unchanged' ? 'ok' : 'planned',
      change,
      ...(diff.length > 0 ? { diff } : {}),
    };
  });
}

/** Where an entity came from, written into an object property when config `provenance` asks for it. */
export interface Provenance {
  property: string;
  commit: string | null;
  repository: string;
}

/** The upserts for these entities, in file order. */
export function planUpserts(entities: LoadedEntity[], provenance?: Provenance): UpsertOperation[] {
  return entities.map((entity) => {
    const { blueprint: _blueprint, ...body } = entity.data;
    // Not on an entity a search query identifies: it is not this repository's to prune.
    if (provenance && !entity.identifierQuery) {
      const origin = { path: entity.file, commit: provenance.commit, repository: provenance.repository };
      body.properties = {
        ...((body.properties as Record<string, unknown> | undefined) ?? {}),
        [provenance.property]: origin,
      };
    }
    return {
      action: 'upsert',
      file: entity.file,
      blueprint: entity.blueprint!,
      identifier: entity.identifier!,
      body: body as UpsertOperation['body'],
    };
  });
}

export function planDeletes(removed: RemovedEntity[]): DeleteOperation[] {
  return removed.map((entity) => ({ action: 'delete', ...entity }));
}

/** Marks operations without sending them: a dry run, deletions not asked for, or a `--no-partial` stop. */
export function withoutPushing(operations: Operation[], result: 'planned' | 'skipped'): PushResult[] {
  return operations.map((operation) => ({ operation, result }));
}

function withoutProperty(body: UpsertOperation['body'], property: string | undefined): UpsertOperation['body'] {
  const properties = body.properties as Record<string, unknown> | undefined;
  if (!property || !properties || !(property in properties)) return body;
  const { [property]: _origin, ...rest } = properties;
  return { ...body, properties: rest };
}
