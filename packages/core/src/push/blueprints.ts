import { FatalError } from '../errors.js';
import type { BlueprintChange, ManagedBlueprint } from '../plan/index.js';
import type { PortApi } from '../port.js';

/** Which classes of blueprint change a sync may write (`blocked` never: Port refuses it in place). */
export interface BlueprintPolicy {
  allowBreaking: boolean;
  allowDestructive: boolean;
  /**
   * `blueprint.property`: properties whose type or format change is written by recreating them (Port's
   * refusal in place, forbidden_format_change, made explicit): the property is removed, with every
   * entity's value, then added with its new definition, and the push writes the values from the files.
   */
  recreateProperties?: string[];
  /**
   * Blueprints whose deletion may first delete every entity Port holds of them (Port refuses to delete
   * a blueprint that has any: has_dependents), those no file defines included: through Port's
   * all-entities route, which deletes the blueprint after them as one migration.
   */
  deleteEntitiesOf?: string[];
}

type Definition = Record<string, unknown>;

/** What Port writes itself into a definition: never sent back. */
const OWNED_BY_PORT = ['createdAt', 'createdBy', 'updatedAt', 'updatedBy'];

const FORMAT_CHANGE = /^schema\.properties\.([^.]+)\.(?:type|format|items)$/;

/** The property a blocked type or format change is about, when the policy opts into recreating it. */
function recreated(change: BlueprintChange, policy: BlueprintPolicy): string | undefined {
  const property = change.class === 'blocked' ? FORMAT_CHANGE.exec(change.path)?.[1] : undefined;
  return property && policy.recreateProperties?.includes(`${change.blueprint}.${property}`) ? property : undefined;
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
 * The changes a sync must refuse, before anything is written: every `blocked` one, the `breaking` and
 * `destructive` ones the policy does not allow, and any to a system blueprint (`_user`, `_team`, ...):
 * Port lets those be extended only, by keys it does not document apart from its own, so a whole-file
 * write could replace what Port owns; port-gitops plans them and leaves the writing to Port's UI.
 */
export function refusedBlueprintChanges(managed: ManagedBlueprint[], policy: BlueprintPolicy): BlueprintChange[] {
  return managed
    .flatMap((blueprint) => blueprint.changes)
    .filter(
      (change) =>
        (change.class === 'blocked' &&
          !recreated(change, policy) &&
          !(change.path === '' && policy.deleteEntitiesOf?.includes(change.blueprint))) ||
        change.blueprint.startsWith('_') ||
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
  policy: BlueprintPolicy = { allowBreaking: false, allowDestructive: false },
): Promise<string[]> {
  const changed = managed.filter((blueprint) => blueprint.changes.length > 0 && blueprint.definition);
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
    keys.some((key) => b.definition?.[key] !== undefined && JSON.stringify(b.definition[key]) !== '{}');
  const complete = new Set<ManagedBlueprint>();
  for (const blueprint of changed.filter((b) => b.live === undefined)) {
    const bare = Object.fromEntries(Object.entries(blueprint.definition!).filter(([key]) => !REFERENCES.includes(key)));
    await step(blueprint.identifier, () => port.createBlueprint({ ...bare, identifier: blueprint.identifier }));
    if (!names(blueprint, REFERENCES)) {
      complete.add(blueprint);
      written.push(blueprint.identifier);
    }
  }
  // A property recreated: first Port's definition without it (its values go), then the file adds it anew.
  for (const blueprint of changed) {
    const properties = new Set(blueprint.changes.map((c) => recreated(c, policy)).filter((p) => p !== undefined));
    if (properties.size === 0 || !blueprint.live) continue;
    const live = blueprint.live as { schema?: { properties?: Definition; required?: string[] } };
    const schema = {
      ...live.schema,
      properties: Object.fromEntries(Object.entries(live.schema?.properties ?? {}).filter(([k]) => !properties.has(k))),
      required: (live.schema?.required ?? []).filter((k) => !properties.has(k)),
    };
    const kept = Object.fromEntries(Object.entries(blueprint.live).filter(([key]) => !OWNED_BY_PORT.includes(key)));
    await step(blueprint.identifier, () => port.replaceBlueprint(blueprint.identifier, { ...kept, schema }));
  }
  const rest = changed.filter((b) => !complete.has(b));
  const readsOthers = (b: ManagedBlueprint) => names(b, REFERENCES.slice(1));
  const ordered = [...rest.filter((b) => !readsOthers(b)), ...rest.filter(readsOthers)];
  for (const blueprint of ordered) {
    await step(blueprint.identifier, () => port.replaceBlueprint(blueprint.identifier, blueprint.definition!));
    written.push(blueprint.identifier);
  }
  return written;
}

/**
 * Deletes the managed blueprints whose definitions the change removed, after the entities were pushed:
 * one whose relation targets another deleted one first (Port refuses to delete a relation's target),
 * each deletion once the blueprints relating to it are gone. Stops at the first refusal, saying which
 * were deleted and which were not.
 */
export async function deleteBlueprints(
  port: Pick<
    PortApi,
    'deleteBlueprint' | 'deleteAllEntities' | 'deleteEntities' | 'searchBlueprintEntities' | 'replaceBlueprint'
  >,
  managed: ManagedBlueprint[],
  policy: BlueprintPolicy = { allowBreaking: false, allowDestructive: false },
): Promise<string[]> {
  const pending = managed.filter((b) => !b.definition && b.live);
  const deleted: string[] = [];
  const relations = (b: ManagedBlueprint) => (b.live?.relations ?? {}) as Record<string, { target?: string }>;
  const relatesTo = (b: ManagedBlueprint, target: string) =>
    Object.values(relations(b)).some((r) => r.target === target);
  while (pending.length > 0) {
    // A blueprint no other pending one relates to. In a cycle there is none: the first one's relations
    // to the others are removed first (Port refuses to delete a relation's target), which frees another.
    let free = pending.find((b) => !pending.some((o) => o !== b && relatesTo(o, b.identifier)));
    try {
      if (!free) {
        const first = pending[0]!;
        const others = new Set(pending.filter((b) => b !== first).map((b) => b.identifier));
        const kept = Object.fromEntries(
          Object.entries(relations(first)).filter(([, r]) => !others.has(r.target ?? '')),
        );
        const live = Object.fromEntries(Object.entries(first.live!).filter(([key]) => !OWNED_BY_PORT.includes(key)));
        first.live = { ...live, relations: kept };
        await port.replaceBlueprint(first.identifier, first.live);
        continue;
      }
      const required = Object.values(relations(free)).some((r) => (r as { required?: boolean }).required);
      if (!policy.deleteEntitiesOf?.includes(free.identifier)) await port.deleteBlueprint(free.identifier);
      // Port's all-entities route refuses a blueprint with a required relation (its docs): then entity by entity.
      else if (!required) await port.deleteAllEntities(free.identifier, { deleteBlueprint: true });
      else {
        await deleteEachEntity(port, free.identifier);
        await port.deleteBlueprint(free.identifier);
      }
    } catch (error) {
      free ??= pending[0]!;
      throw new FatalError(
        'config',
        `blueprint ${free.identifier}: Port refused its deletion: ${(error as Error).message}. ` +
          `Deleted: ${deleted.length > 0 ? deleted.join(', ') : 'none'}; not deleted: ${pending.map((b) => b.identifier).join(', ')}`,
        'the entities were pushed; delete what still uses the blueprint and run again',
      );
    }
    deleted.push(free.identifier);
    pending.splice(pending.indexOf(free), 1);
  }
  return deleted;
}

/** Every entity Port holds of the blueprint, deleted one by one; throws when Port refuses any of them. */
async function deleteEachEntity(
  port: Pick<PortApi, 'deleteEntities' | 'searchBlueprintEntities'>,
  blueprint: string,
): Promise<void> {
  const identifiers = (await port.searchBlueprintEntities(blueprint, undefined, { include: ['identifier'] })).map(
    (entity) => entity.identifier,
  );
  if (identifiers.length === 0) return;
  const failed = (await port.deleteEntities(blueprint, identifiers)).filter((outcome) => !outcome.ok);
  if (failed.length > 0) throw new Error(`${failed.length} of its ${identifiers.length} entities could not be deleted`);
}
