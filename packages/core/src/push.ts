import { type FieldChange, type LiveEntity, compareWithLive } from './compare.js';
import type { RemovedEntity } from './entity-diff.js';
import type { LoadedEntity } from './model.js';

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

export type WriteOutcome = { ok: true } | { ok: false; status: number; error: string; message: string };

/**
 * What the push stage needs from a Port client. Each call returns one outcome per entity, in input
 * order; it throws only when nothing more can be written (the credentials were refused).
 */
export interface EntityWriter {
  upsertEntities(blueprint: string, entities: UpsertOperation['body'][]): Promise<WriteOutcome[]>;
  deleteEntities(blueprint: string, identifiers: string[]): Promise<WriteOutcome[]>;
}

export interface PushResult {
  operation: Operation;
  result: 'ok' | 'failed' | 'planned' | 'skipped';
  error?: { status: number; code: string; message: string };
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
    if (provenance) {
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

/**
 * Sends the operations: upserts first, one call per blueprint (the writer batches and bounds
 * concurrency), then deletions, so that nothing new points at an entity while it goes. When a call
 * throws, each of its entities is reported failed with the reason: nothing is left unsaid.
 */
export async function push(operations: Operation[], writer: EntityWriter): Promise<PushResult[]> {
  const upserts = operations.filter((o): o is UpsertOperation => o.action === 'upsert');
  const deletes = operations.filter((o): o is DeleteOperation => o.action === 'delete');
  const results = [
    ...(await sendByBlueprint(upserts, (blueprint, group) =>
      writer.upsertEntities(
        blueprint,
        group.map((o) => o.body),
      ),
    )),
    ...(await sendByBlueprint(deletes, (blueprint, group) =>
      writer.deleteEntities(
        blueprint,
        group.map((o) => o.identifier),
      ),
    )),
  ];
  // Report in the order the operations were planned, not the order answers arrived.
  const order = new Map<Operation, number>(operations.map((operation, i) => [operation, i]));
  return results.sort((a, b) => order.get(a.operation)! - order.get(b.operation)!);
}

async function sendByBlueprint<T extends Operation>(
  operations: T[],
  send: (blueprint: string, group: T[]) => Promise<WriteOutcome[]>,
): Promise<PushResult[]> {
  const byBlueprint = new Map<string, T[]>();
  for (const operation of operations)
    byBlueprint.set(operation.blueprint, [...(byBlueprint.get(operation.blueprint) ?? []), operation]);
  const groups = await Promise.all(
    [...byBlueprint].map(async ([blueprint, group]): Promise<PushResult[]> => {
      try {
        const outcomes = await send(blueprint, group);
        return group.map((operation, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) return { operation, result: 'ok' };
          const failure = outcome ?? {
            ok: false,
            status: 0,
            error: 'missing_result',
            message: 'no result for this entity',
          };
          return {
            operation,
            result: 'failed',
            error: { status: failure.status, code: failure.error, message: failure.message },
          };
        });
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        const code = (error as { code?: unknown }).code;
        const failure = {
          status: typeof status === 'number' ? status : 0,
          code: typeof code === 'string' ? code : 'push_failed',
          message: error instanceof Error ? error.message : String(error),
        };
        return group.map((operation) => ({ operation, result: 'failed', error: failure }));
      }
    }),
  );
  return groups.flat();
}

function withoutProperty(body: UpsertOperation['body'], property: string | undefined): UpsertOperation['body'] {
  const properties = body.properties as Record<string, unknown> | undefined;
  if (!property || !properties || !(property in properties)) return body;
  const { [property]: _origin, ...rest } = properties;
  return { ...body, properties: rest };
}
