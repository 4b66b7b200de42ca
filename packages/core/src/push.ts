import type { LoadedEntity } from './model.js';

/** One write to make in Port. */
export interface UpsertOperation {
  action: 'upsert';
  file: string;
  blueprint: string;
  identifier: string;
  /** The request body: the entity as written, without `blueprint` (it goes in the route). */
  body: Record<string, unknown> & { identifier: string };
}

export type WriteOutcome = { ok: true } | { ok: false; status: number; error: string; message: string };

/**
 * What the push stage needs from a Port client. `upsertEntities` returns one outcome per entity, in
 * input order; it throws only when nothing more can be written (the credentials were refused).
 */
export interface EntityWriter {
  upsertEntities(blueprint: string, entities: UpsertOperation['body'][]): Promise<WriteOutcome[]>;
}

export interface PushResult {
  operation: UpsertOperation;
  result: 'ok' | 'failed' | 'planned' | 'skipped';
  error?: { status: number; code: string; message: string };
}

/** The upserts for the valid entities, in file order. */
export function planUpserts(valid: LoadedEntity[]): UpsertOperation[] {
  return valid.map((entity) => {
    const { blueprint: _blueprint, ...body } = entity.data;
    return {
      action: 'upsert',
      file: entity.file,
      blueprint: entity.blueprint!,
      identifier: entity.identifier!,
      body: body as UpsertOperation['body'],
    };
  });
}

/** Marks operations without sending them: a dry run, or a `--no-partial` run with invalid files. */
export function withoutPushing(operations: UpsertOperation[], result: 'planned' | 'skipped'): PushResult[] {
  return operations.map((operation) => ({ operation, result }));
}

/**
 * Sends the upserts, one call per blueprint (the writer batches and bounds concurrency). When a call
 * throws, every entity of that blueprint is reported failed with the reason: nothing is left unsaid.
 */
export async function push(operations: UpsertOperation[], writer: EntityWriter): Promise<PushResult[]> {
  const byBlueprint = new Map<string, UpsertOperation[]>();
  for (const operation of operations) {
    const group = byBlueprint.get(operation.blueprint) ?? [];
    group.push(operation);
    byBlueprint.set(operation.blueprint, group);
  }
  const groups = await Promise.all(
    [...byBlueprint].map(async ([blueprint, group]): Promise<PushResult[]> => {
      try {
        const outcomes = await writer.upsertEntities(blueprint, group.map((operation) => operation.body));
        return group.map((operation, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) return { operation, result: 'ok' };
          const failure = outcome ?? { ok: false, status: 0, error: 'missing_result', message: 'no result for this entity' };
          return { operation, result: 'failed', error: { status: failure.status, code: failure.error, message: failure.message } };
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
  // Report in the order the operations were planned, not the order answers arrived.
  const order = new Map(operations.map((operation, i) => [operation, i]));
  return groups.flat().sort((a, b) => order.get(a.operation)! - order.get(b.operation)!);
}
