import type { Blueprint } from '@port-gitops/port-schema';
import type { LoadedEntity, LoadedFile, Problem } from '../model.js';
import type { PortApi, WriteOutcome } from '../port.js';
import { encodePointer, place } from '../source/index.js';
import { type ValidationResult, reviseValidation } from '../validate/index.js';

/** Identifiers asked for in one search (Port documents no limit for `in`). */
const IDS_PER_SEARCH = 1000;

interface RelationTarget {
  relation: string;
  blueprint: string;
  identifier: string;
  /** Where the value is written, as problems point at it. */
  pointer: string;
}

/**
 * `check --remote`: asks Port to validate the entities that passed the offline check (`validation_only`,
 * nothing is written), as Port's own pull-request check does, with `create_missing_related_entities=false`
 * so that Port says when a relation points at an entity it does not have. Such a target is an error only
 * when no entity file defines it either: one a file defines is created by the same sync, so the entity is
 * asked again with missing targets allowed, and Port judges the rest of it. Offline warnings about targets
 * no file defines are dropped for the targets Port holds. Port's refusals are placed on the field they are
 * about (placeRemoteFailure).
 */
export async function validateRemotely(
  files: LoadedFile[],
  validation: ValidationResult,
  blueprints: ReadonlyMap<string, Blueprint>,
  port: PortApi,
): Promise<ValidationResult> {
  const fileOf = new Map(files.map((file) => [file.path, file]));
  const undefinedTargets = new Map(
    validation.problems.filter((p) => p.code === 'relation-target').map((p) => [`${p.file}\u0000${p.pointer}`, p]),
  );
  const targetsOf = (entity: LoadedEntity) => relationTargets(entity, fileOf.get(entity.file)!, blueprints);

  const first = await askPort(validation.valid, port, false);
  const failedForTargets = first.filter(({ result }) => !result.ok && result.status === 404);
  const inPort = await existing(
    port,
    failedForTargets.flatMap(({ entity }) => targetsOf(entity)),
  );

  const added: Problem[] = [];
  const confirmed = new Set<Problem>();
  const askAgain: LoadedEntity[] = [];
  for (const { entity, result } of first) {
    const targets = targetsOf(entity);
    if (result.ok) {
      // Every relation target exists in Port: the offline doubts about them are settled.
      for (const target of targets) confirmWarning(entity, target);
      continue;
    }
    if (result.status !== 404 || targets.length === 0) {
      added.push(portProblem(entity, result));
      continue;
    }
    const absent = targets.filter((t) => !inPort.has(`${t.blueprint}\u0000${t.identifier}`));
    for (const target of targets) if (!absent.includes(target)) confirmWarning(entity, target);
    const dangling = absent.filter((t) => undefinedTargets.has(`${entity.file}\u0000${t.pointer}`));
    if (dangling.length > 0) {
      for (const target of dangling) {
        const doubt = undefinedTargets.get(`${entity.file}\u0000${target.pointer}`)!;
        confirmed.add(doubt);
        added.push({
          ...doubt,
          code: 'remote',
          severity: 'error',
          message: `relation "${target.relation}" points at "${target.identifier}" of blueprint "${target.blueprint}", which is neither in Port nor in any entity file`,
          hint: 'fix the identifier, or define the entity in an entity file',
        });
      }
    } else if (absent.length > 0) {
      askAgain.push(entity); // its missing targets come from the files: Port judges the rest
    } else {
      added.push(portProblem(entity, result));
    }
  }
  for (const { entity, result } of await askPort(askAgain, port, true)) {
    if (!result.ok) added.push(portProblem(entity, result));
  }
  return reviseValidation(validation, files, { add: added, drop: confirmed });

  function confirmWarning(entity: LoadedEntity, target: RelationTarget): void {
    const doubt = undefinedTargets.get(`${entity.file}\u0000${target.pointer}`);
    if (doubt) confirmed.add(doubt);
  }

  function portProblem(entity: LoadedEntity, failure: WriteOutcome & { ok: false }): Problem {
    const { pointer, key } = placeRemoteFailure(entity.data, failure);
    return {
      file: entity.file,
      ...place(fileOf.get(entity.file)!.locator, entity.pointer + pointer, { key }),
      code: 'remote',
      severity: 'error',
      rule: `port ${failure.status}${failure.error ? ` ${failure.error}` : ''}`,
      message: `Port refuses this entity: ${failure.message}`,
    };
  }
}

/** Each entity's answer from Port's validation, by blueprint through the bulk route. */
async function askPort(
  entities: LoadedEntity[],
  port: PortApi,
  createMissingRelatedEntities: boolean,
): Promise<Array<{ entity: LoadedEntity; result: WriteOutcome }>> {
  const byBlueprint = new Map<string, LoadedEntity[]>();
  for (const entity of entities) {
    const group = byBlueprint.get(entity.blueprint!);
    if (group) group.push(entity);
    else byBlueprint.set(entity.blueprint!, [entity]);
  }
  const answers = await Promise.all(
    [...byBlueprint].map(async ([blueprint, group]) => {
      const bodies = group.map(({ data: { blueprint: _blueprint, ...body } }) => body as { identifier: string });
      const results = await port.upsertEntities(blueprint, bodies, {
        validationOnly: true,
        createMissingRelatedEntities,
      });
      return group.map((entity, i) => ({ entity, result: results[i]! }));
    }),
  );
  return answers.flat();
}

/** The identifiers an entity's relations name, where its blueprint's definition says what they point at. */
function relationTargets(
  entity: LoadedEntity,
  file: LoadedFile,
  blueprints: ReadonlyMap<string, Blueprint>,
): RelationTarget[] {
  const blueprint = entity.blueprint ? blueprints.get(entity.blueprint) : undefined;
  const relations = entity.data.relations;
  if (!blueprint || typeof relations !== 'object' || relations === null) return [];
  const targets: RelationTarget[] = [];
  for (const [relation, value] of Object.entries(relations as Record<string, unknown>)) {
    const target = blueprint.relations?.[relation]?.target;
    if (!target) continue;
    const values: Array<[unknown, Array<string | number>]> =
      typeof value === 'string'
        ? [[value, [relation]]]
        : Array.isArray(value)
          ? value.map((id, i) => [id, [relation, i]])
          : [];
    for (const [identifier, path] of values) {
      if (typeof identifier !== 'string') continue;
      const { pointer } = place(file.locator, entity.pointer + encodePointer(['relations', ...path]));
      targets.push({ relation, blueprint: target, identifier, pointer });
    }
  }
  return targets;
}

/** Which of these targets Port holds, as `blueprint\0identifier`. */
async function existing(port: PortApi, targets: RelationTarget[]): Promise<Set<string>> {
  const byBlueprint = new Map<string, Set<string>>();
  for (const { blueprint, identifier } of targets) {
    byBlueprint.set(blueprint, (byBlueprint.get(blueprint) ?? new Set()).add(identifier));
  }
  const found = new Set<string>();
  await Promise.all(
    [...byBlueprint].map(async ([blueprint, ids]) => {
      const all = [...ids];
      for (let i = 0; i < all.length; i += IDS_PER_SEARCH) {
        const query = {
          combinator: 'and' as const,
          rules: [{ property: '$identifier', operator: 'in', value: all.slice(i, i + IDS_PER_SEARCH) }],
        };
        for (const entity of await port.searchBlueprintEntities(blueprint, query, { include: ['identifier'] })) {
          found.add(`${blueprint}\u0000${entity.identifier}`);
        }
      }
    }),
  );
  return found;
}

/**
 * Where in the entity a refusal of Port's belongs, from its error id and the names its message mentions,
 * whatever the wording (Port does not publish it): a team refused on an inherited-ownership blueprint on
 * `team`; a relation error on the relation it names, else on `relations`; a blueprint mismatch on the
 * property it names, else on `properties`; a `not_found` on the team or relation target it names. A
 * message that names nothing the entity holds stays on the entity.
 */
export function placeRemoteFailure(
  data: Record<string, unknown>,
  failure: { error: string; message: string },
): { pointer: string; key: boolean } {
  const { error, message } = failure;
  const properties = keysOf(data.properties);
  const relations = keysOf(data.relations);
  const named = (name: string) => mentions(message, name);
  const structured = (area: string, name: string) =>
    new RegExp(`${area}[./]${escapeRegExp(name)}(?![A-Za-z0-9@_=\\\\-])`).test(message) ||
    message.includes(`"${name}"`) ||
    message.includes(`'${name}'`);

  if (error === 'team_inheritance_enabled' && data.team !== undefined) return { pointer: '/team', key: true };
  const relationIds = error === 'relation_many_violation' || error === 'required_relation';
  const relation =
    relations.find((r) => structured('relations', r)) ?? (relationIds ? relations.find(named) : undefined);
  if (relation) return { pointer: encodePointer(['relations', relation]), key: error === 'required_relation' };
  const property =
    properties.find((p) => structured('properties', p)) ??
    (error === 'blueprint_schema_mismatch' ? properties.find(named) : undefined);
  if (property) return { pointer: encodePointer(['properties', property]), key: false };
  if (error === 'not_found') {
    const teams = [data.team].flat();
    const team = teams.findIndex((t) => typeof t === 'string' && named(t));
    if (team >= 0) return { pointer: Array.isArray(data.team) ? `/team/${team}` : '/team', key: false };
    for (const r of relations) {
      const values = [(data.relations as Record<string, unknown>)[r]].flat();
      const at = values.findIndex((v) => typeof v === 'string' && named(v));
      if (at >= 0) {
        const path = Array.isArray((data.relations as Record<string, unknown>)[r])
          ? ['relations', r, at]
          : ['relations', r];
        return { pointer: encodePointer(path), key: false };
      }
    }
  }
  if (relationIds && relations.length > 0) return { pointer: '/relations', key: true };
  if (error === 'blueprint_schema_mismatch' && properties.length > 0) return { pointer: '/properties', key: true };
  return { pointer: '', key: false };
}

function keysOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  // Longest first: a key that holds another (`tier`, `tier2`) is found before it.
  return Object.keys(value).sort((a, b) => b.length - a.length);
}

/** The name stands alone in the message: not part of a longer identifier. */
function mentions(message: string, name: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9@_=.\\\\/-])${escapeRegExp(name)}(?![A-Za-z0-9@_=\\\\/-])`).test(message);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
