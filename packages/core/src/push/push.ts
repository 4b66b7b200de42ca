import type { DeleteOperation, Operation, PushResult, UpsertOperation } from '../plan/index.js';
import type { PortApi, WriteOutcome } from '../port.js';

/** What the push stage needs from Port: one outcome per entity, in input order. */
export type EntityWriter = Pick<PortApi, 'upsertEntities' | 'deleteEntities'>;

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
  for (const operation of operations) {
    const group = byBlueprint.get(operation.blueprint);
    if (group) group.push(operation);
    else byBlueprint.set(operation.blueprint, [operation]);
  }
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
