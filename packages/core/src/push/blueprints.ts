import { FatalError } from '../errors.js';
import { type BlueprintChange, type ManagedBlueprint, RECREATION_COPY } from '../plan/index.js';
import type { PortApi } from '../port.js';

/** Which classes of blueprint change a sync may write (`blocked` never: Port refuses it in place). */
export interface BlueprintPolicy {
  allowBreaking: boolean;
  allowDestructive: boolean;
  /**
   * `blueprint.property`: properties whose type or format change is written by recreating them (Port's
   * refusal in place, forbidden_format_change, made explicit), as Port's docs change a property's type:
   * the values are copied aside by a migration, the property is removed and added with its new
   * definition, and the values that fit it are copied back; the push then writes the files' values.
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
 * The changes a sync must refuse, before anything is written: every `blocked` one without its opt-in,
 * and the `breaking` and `destructive` ones the policy does not allow. A system blueprint (`_user`,
 * `_team`, ...) is only ever extended: its changes other than additions are classed blocked.
 */
export function refusedBlueprintChanges(managed: ManagedBlueprint[], policy: BlueprintPolicy): BlueprintChange[] {
  return managed
    .flatMap((blueprint) => blueprint.changes)
    .filter(
      (change) =>
        (change.class === 'blocked' &&
          !recreated(change, policy) &&
          !(change.path === '' && policy.deleteEntitiesOf?.includes(change.blueprint))) ||
        (change.class === 'breaking' && !policy.allowBreaking) ||
        (change.class === 'destructive' && !policy.allowDestructive),
    );
}

/** What a blueprint sync wrote, and what it could not carry over without failing. */
export interface BlueprintsApplied {
  written: string[];
  /** Written without their new requirements: `contractBlueprints` writes them whole after the entities. */
  contracting: string[];
  warnings: string[];
}

/** The property a recreation keeps `property`'s values in until they are copied back; removed after. */
function copyOf(property: string): string {
  return `${property}${RECREATION_COPY}`;
}

/**
 * Brings Port's blueprints to their managed definitions, in an order Port accepts:
 * 1. every new blueprint, without the keys that name other blueprints;
 * 2. each system blueprint extended, never replaced: its added parts sent alone (PATCH);
 * 3. the properties being recreated (and those a stopped run left half-way);
 * 4. each changed or new blueprint replaced by its whole file (every key as written, including keys
 *    port-gitops does not model), those with computed properties or ownership last, since they read the
 *    others' relations; one that newly requires a property or relation of the entities Port holds is
 *    written without that requirement, which `contractBlueprints` adds after the entities.
 * Stops at the first refusal and says which blueprints were written and which were not; the next run
 * writes the rest (it compares with Port again). The caller has refused what the policy does not allow.
 */
export async function applyBlueprints(
  port: Pick<PortApi, 'createBlueprint' | 'replaceBlueprint' | 'patchBlueprint' | 'migrate'>,
  managed: ManagedBlueprint[],
  policy: BlueprintPolicy = { allowBreaking: false, allowDestructive: false },
): Promise<BlueprintsApplied> {
  const changed = managed.filter((blueprint) => blueprint.changes.length > 0 && blueprint.definition);
  const written: string[] = [];
  const warnings: string[] = [];
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
  // A system blueprint's added relation may target a blueprint created just above.
  for (const blueprint of changed.filter((b) => b.identifier.startsWith('_'))) {
    await step(blueprint.identifier, () => port.patchBlueprint(blueprint.identifier, additions(blueprint)));
    complete.add(blueprint);
    written.push(blueprint.identifier);
  }
  for (const blueprint of changed.filter((b) => b.live && !complete.has(b))) {
    const live = blueprint.live as Definition & { schema?: { properties?: Record<string, Definition> } };
    const recreate = blueprint.changes.map((c) => recreated(c, policy)).filter((p) => p !== undefined);
    // A recreation an earlier run left half-way: its copy is in Port, the property is gone or renewed.
    const resumed = Object.keys(live.schema?.properties ?? {})
      .filter((key) => key.endsWith(RECREATION_COPY))
      .map((key) => key.slice(0, -RECREATION_COPY.length))
      .filter((p) => !recreate.includes(p) && propertiesOf(blueprint.definition)[p] !== undefined);
    for (const property of [...new Set(recreate)]) {
      await step(blueprint.identifier, () => recreateProperty(port, blueprint, property, warnings));
    }
    for (const property of resumed) {
      await step(blueprint.identifier, () => recreateProperty(port, blueprint, property, warnings, 'renew'));
    }
  }
  const rest = changed.filter((b) => !complete.has(b));
  const readsOthers = (b: ManagedBlueprint) => names(b, REFERENCES.slice(1));
  const ordered = [...rest.filter((b) => !readsOthers(b)), ...rest.filter(readsOthers)];
  const contracting: string[] = [];
  for (const blueprint of ordered) {
    const loose = blueprint.live && withoutNewRequirements(blueprint.definition!, blueprint.live);
    await step(blueprint.identifier, () => port.replaceBlueprint(blueprint.identifier, loose || blueprint.definition!));
    if (loose) contracting.push(blueprint.identifier);
    else written.push(blueprint.identifier);
  }
  return { written, contracting, warnings };
}

/**
 * The definition without what it newly requires of entities Port holds (a property or relation made
 * required, or added required), or undefined when it requires nothing new. Written before the entities,
 * so that Port, whether or not it refuses a requirement existing entities lack, takes the definition;
 * the entities then bring the values, and `contractBlueprints` writes the whole file.
 */
function withoutNewRequirements(definition: Definition, live: Definition): Definition | undefined {
  const schema = (definition.schema ?? {}) as Definition & { required?: string[] };
  const liveRequired = new Set(((live.schema as Definition | undefined)?.required as string[] | undefined) ?? []);
  const required = (schema.required ?? []).filter((key) => liveRequired.has(key));
  const liveRelations = (live.relations ?? {}) as Record<string, Definition>;
  const relations = Object.entries((definition.relations ?? {}) as Record<string, Definition>);
  const newlyRequired = relations.filter(([key, r]) => r.required === true && liveRelations[key]?.required !== true);
  if (required.length === (schema.required ?? []).length && newlyRequired.length === 0) return undefined;
  return {
    ...definition,
    schema: { ...schema, required },
    ...(definition.relations === undefined
      ? {}
      : {
          relations: Object.fromEntries(
            relations.map(([key, r]) => [key, newlyRequired.some(([k]) => k === key) ? { ...r, required: false } : r]),
          ),
        }),
  };
}

/**
 * Writes, once the entities are pushed, the whole file of each blueprint `applyBlueprints` wrote without
 * its new requirements. Stops at the first refusal (Port may refuse a requirement that entities it holds
 * lack: entities no file defines, or files that were invalid), saying which were and were not written.
 */
export async function contractBlueprints(
  port: Pick<PortApi, 'replaceBlueprint'>,
  managed: ManagedBlueprint[],
  identifiers: string[],
): Promise<void> {
  const done: string[] = [];
  for (const identifier of identifiers) {
    const blueprint = managed.find((b) => b.identifier === identifier)!;
    try {
      await port.replaceBlueprint(identifier, blueprint.definition!);
    } catch (error) {
      throw new FatalError(
        'config',
        `blueprint ${identifier}: Port refused its new requirements after the entities were pushed: ${(error as Error).message}. ` +
          `Written whole: ${done.length > 0 ? done.join(', ') : 'none'}; still without their new requirements: ${identifiers.filter((id) => !done.includes(id)).join(', ')}`,
        'give the entities Port holds the values (the plan counts them), then sync again: it writes the rest',
      );
    }
    done.push(identifier);
  }
}

function propertiesOf(definition: Definition | undefined): Record<string, Definition> {
  return ((definition?.schema as Definition | undefined)?.properties ?? {}) as Record<string, Definition>;
}

/**
 * A property whose type or format changes, recreated as Port's docs change a property's type, one
 * replacement at a time on Port's definition (the file is written whole afterwards):
 * 1. `copy` (from the start): a copy property of the old definition is added, and a migration copies
 *    every entity's value into it;
 * 2. the property is removed (its values go), then added with its new definition (`renew` starts here);
 * 3. a migration copies back each value whose JSON type the new definition takes (a string into a
 *    string, a number into a number, ...); Port checks the rest of the definition (format, enum) and
 *    fails the migration when a value does not pass: that is a warning, as the files' values are still
 *    pushed. The copy stays until the whole file is written, which removes it.
 */
async function recreateProperty(
  port: Pick<PortApi, 'replaceBlueprint' | 'migrate'>,
  blueprint: ManagedBlueprint,
  property: string,
  warnings: string[],
  from: 'copy' | 'renew' = 'copy',
): Promise<void> {
  const identifier = blueprint.identifier;
  const live = Object.fromEntries(Object.entries(blueprint.live!).filter(([key]) => !OWNED_BY_PORT.includes(key)));
  const schema = (live.schema ?? {}) as { properties?: Record<string, Definition>; required?: string[] };
  const properties = { ...schema.properties };
  const required = (schema.required ?? []).filter((k) => k !== property);
  const copy = copyOf(property);
  const write = (next: Record<string, Definition>) =>
    port.replaceBlueprint(identifier, { ...live, schema: { ...schema, properties: next, required } });
  if (from === 'copy') {
    properties[copy] ??= properties[property]!;
    await write(properties);
    await port.migrate(copyMigration(identifier, property, copy));
  }
  const renewed = propertiesOf(blueprint.definition)[property]!;
  if (properties[property] !== undefined && JSON.stringify(properties[property]) !== JSON.stringify(renewed)) {
    delete properties[property];
    await write(properties);
  }
  if (properties[property] === undefined) {
    properties[property] = renewed;
    await write(properties);
  }
  try {
    await port.migrate(copyMigration(identifier, copy, property, jsonTypeOf(renewed)));
  } catch (error) {
    warnings.push(
      `warning: blueprint ${identifier}: not every value of "${property}" could be copied back into its new definition (${(error as Error).message}); the files' values are pushed`,
    );
  }
  blueprint.live = { ...live, schema: { ...schema, properties, required } };
}

/** A migration that copies one property's values into another on the same blueprint, when `type` fits. */
function copyMigration(blueprint: string, from: string, to: string, type?: string) {
  const value = `.properties[${JSON.stringify(from)}]`;
  return {
    sourceBlueprint: blueprint,
    mapping: {
      blueprint,
      filter: type ? `(${value} | type) == ${JSON.stringify(type)}` : `${value} != null`,
      entity: { identifier: '.identifier', properties: { [to]: value } },
    },
  };
}

/** The jq type (`type`) a property's values have. */
function jsonTypeOf(property: Definition): string {
  const type = property.type as string | undefined;
  return type === 'number' || type === 'boolean' || type === 'object' || type === 'array' ? type : 'string';
}

/**
 * What a system blueprint's file adds to Port's definition: the properties, relations and computed
 * properties Port does not have, alone, so that a PATCH extends it without touching what Port owns.
 */
function additions(blueprint: ManagedBlueprint): Definition {
  const added = (key: string, from: Definition | undefined, to: Definition | undefined) =>
    Object.fromEntries(
      Object.entries((to?.[key] ?? {}) as Definition).filter(([name]) => !((from?.[key] ?? {}) as Definition)[name]),
    );
  const patch: Definition = {};
  const properties = added(
    'properties',
    blueprint.live?.schema as Definition,
    blueprint.definition?.schema as Definition,
  );
  if (Object.keys(properties).length > 0) patch.schema = { properties };
  for (const key of REFERENCES.filter((k) => k !== 'ownership' && k !== 'teamInheritance')) {
    const parts = added(key, blueprint.live, blueprint.definition);
    if (Object.keys(parts).length > 0) patch[key] = parts;
  }
  return patch;
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
