import type { History } from '../git/index.js';
import type { LiveEntities, Operation, PushResult } from './operations.js';

/**
 * Runs that overlap (both started from the same watermark, the older one writing last): the writes to
 * leave out because Port holds the entity as written by a commit that descends from this run's head, as
 * its provenance (config `provenance`) records. A recorded commit that cannot be found proves nothing: the
 * entity is written.
 */
export async function writtenByNewer(
  operations: Operation[],
  live: LiveEntities,
  options: { property: string; head: string; history: History },
): Promise<PushResult[]> {
  const commitOf = (operation: Operation): string | undefined => {
    const entity = live.get(operation.blueprint)?.get(operation.identifier);
    const origin = entity?.properties?.[options.property] as { commit?: unknown } | undefined;
    return typeof origin?.commit === 'string' ? origin.commit : undefined;
  };
  const recorded = operations.map(commitOf);
  const newer = await options.history.descendantsOf(
    options.head,
    recorded.filter((commit): commit is string => commit !== undefined),
  );
  if (newer.size === 0) return [];
  return operations.flatMap((operation, i): PushResult[] => {
    const commit = recorded[i];
    if (!commit || !newer.has(commit)) return [];
    return [
      {
        operation,
        result: 'skipped',
        reason: `Port holds it as written by ${commit.slice(0, 8)}, a newer commit than this run's ${options.head.slice(0, 8)}`,
      },
    ];
  });
}
