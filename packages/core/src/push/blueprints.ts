import { FatalError } from '../errors.js';
import type { BlueprintChange, ManagedBlueprint } from '../plan/index.js';
import type { PortApi } from '../port.js';

/** Which classes of blueprint change a sync may write (`blocked` never: Port refuses it in place). */
export interface BlueprintPolicy {
  allowBreaking: boolean;
  allowDestructive: boolean;
}

/**
 * The keys that name other blueprints: left out of a creation, so that blueprints relating to each other
 * (a cycle too) can all be created first.
 */
const REFERENCES = [
  'relations',
  'ownership',
  'teamInheritance',
  'mirrorProperties',
  'calculationProperties',
  'aggregationProperties',
];

/**
 * The changes a sync must refuse, before anything is written: every `blocked` one, and the `breaking`
 * and `destructive` ones the policy does not allow.
 */
export function refusedBlueprintChanges(managed: ManagedBlueprint[], policy: BlueprintPolicy): BlueprintChange[] {
  return managed
    .flatMap((blueprint) => blueprint.changes)
    .filter(
      (change) =>
        change.class === 'blocked' ||
        (change.class === 'breaking' && !policy.allowBreaking) ||
        (change.class === 'destructive' && !policy.allowDestructive),
    );
}

/**
 * Brings Port's blueprints to their managed definitions, in an order Port accepts: first every new
 * blueprint without the keys that name other blueprints, then each changed or new one replaced by its
 * whole file (every key as written, including keys port-gitops does not model), those with computed
 * properties or ownership last, since they read the others' relations. Stops at the first refusal and
 * says which blueprints were written and which were not; the next run writes the rest (it compares
 * with Port again). The caller has refused what the policy does not allow.
 */
export async function applyBlueprints(
  port: Pick<PortApi, 'createBlueprint' | 'replaceBlueprint'>,
  managed: ManagedBlueprint[],
): Promise<string[]> {
  const changed = managed.filter((blueprint) => blueprint.changes.length > 0);
  const written: string[] = [];
  const step = async (identifier: string, write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      const rest = changed.map((b) => b.identifier).filter((id) => !written.includes(id) && id !== identifier);
      throw new FatalError(
        'config',
        `blueprint ${identifier}: Port refused the change: ${(error as Error).message}. ` +
          `Written: ${written.length > 0 ? written.join(', ') : 'none'}; not written: ${[identifier, ...rest].join(', ')}; no entity was pushed`,
        'fix the definition and run again: the next sync compares with Port and writes the rest',
      );
    }
  };
  const names = (b: ManagedBlueprint, keys: string[]) =>
    keys.some((key) => b.definition[key] !== undefined && JSON.stringify(b.definition[key]) !== '{}');
  const complete = new Set<ManagedBlueprint>();
  for (const blueprint of changed.filter((b) => b.live === undefined)) {
    const bare = Object.fromEntries(Object.entries(blueprint.definition).filter(([key]) => !REFERENCES.includes(key)));
    await step(blueprint.identifier, () => port.createBlueprint({ ...bare, identifier: blueprint.identifier }));
    if (!names(blueprint, REFERENCES)) {
      complete.add(blueprint);
      written.push(blueprint.identifier);
    }
  }
  const rest = changed.filter((b) => !complete.has(b));
  const readsOthers = (b: ManagedBlueprint) => names(b, REFERENCES.slice(1));
  const ordered = [...rest.filter((b) => !readsOthers(b)), ...rest.filter(readsOthers)];
  for (const blueprint of ordered) {
    await step(blueprint.identifier, () => port.replaceBlueprint(blueprint.identifier, blueprint.definition));
    written.push(blueprint.identifier);
  }
  return written;
}
