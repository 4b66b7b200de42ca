import { randomUUID } from 'node:crypto';
import {
  type Blueprint,
  type EntityValidator,
  type SchemaError,
  computedPropertyKinds,
  inheritsTeam,
  unverifiedRule,
} from '@port-gitops/port-schema';
import type { Decision } from './decisions.js';
import { type BlueprintChangeDecisions, DEFAULT_BLUEPRINT_CHANGES } from './options.js';
import { ApiError, EmulatorSetupError } from './api-error.js';
import { checkQuery, matchesQuery } from './search.js';
import type { SearchQuery, StoredEntity } from './types.js';

export interface WriteOptions {
  /** `upsert=true`: overwrite an existing entity instead of answering 409. */
  upsert: boolean;
  /** `merge=true` (with upsert): change only the fields sent. */
  merge: boolean;
  validationOnly: boolean;
  createMissingRelated: boolean;
  /** Who writes: the client id behind the token (stamped as createdBy/updatedBy). */
  actor: string;
  /** The request's User-Agent, recorded as `$datasource`. */
  datasource?: string;
}

export interface WriteResult {
  entity: StoredEntity;
  created: boolean;
}

/**
 * Port's own blueprints, present in every organization: users and teams. An entity's `team` names `_team`
 * entities, and neither can be created bare through create_missing_related_entities (docs/port-fidelity.md).
 */
const BUILT_IN_BLUEPRINTS: Blueprint[] = [
  { identifier: '_user', title: 'User', schema: { properties: { email: { type: 'string', format: 'email' } } } },
  { identifier: '_team', title: 'Team', schema: { properties: { description: { type: 'string' } } } },
];
const PROTECTED_BLUEPRINTS = new Set(BUILT_IN_BLUEPRINTS.map((b) => b.identifier));
const TEAM_BLUEPRINT = '_team';
/** A blueprint's keys that map names to parts: a PATCH merges them part by part. */
const NAMED_PARTS = new Set(['relations', 'mirrorProperties', 'calculationProperties', 'aggregationProperties']);
const MAX_RELATION_QUERY_MATCHES = 100;

export type EntityBody = Record<string, unknown> & {
  identifier?: unknown;
  title?: string;
  icon?: string;
  team?: unknown;
  properties?: Record<string, unknown>;
  relations?: Record<string, unknown>;
};

/** The emulator's in-memory catalogue: blueprints and their entities, with Port's write rules. */
export class EntityStore {
  private readonly blueprints = new Map<string, Blueprint>();
  private readonly byBlueprint = new Map<string, Map<string, StoredEntity>>();
  private readonly validator: EntityValidator;
  /** Port's blueprints the emulator adds because it was not given them. */
  private readonly builtIn = new Set<string>();
  /** Blueprints created through the API (kept in the data file). */
  private readonly created = new Set<string>();
  /** Called after every change that must be persisted. */
  onChange: () => void = () => {};

  /**
   * Port knows every blueprint of the organization, so the emulator refuses to start with a relation to a
   * blueprint it was not given: it could not check the relation's targets, and would accept what Port refuses.
   */
  private readonly blueprintChanges: BlueprintChangeDecisions;

  constructor(
    blueprints: Blueprint[],
    validator: EntityValidator,
    options: { teams?: string[]; blueprintChanges?: BlueprintChangeDecisions } = {},
  ) {
    this.validator = validator;
    this.blueprintChanges = options.blueprintChanges ?? DEFAULT_BLUEPRINT_CHANGES;
    const given = new Set(blueprints.map((b) => b.identifier));
    for (const blueprint of BUILT_IN_BLUEPRINTS)
      if (!given.has(blueprint.identifier)) this.builtIn.add(blueprint.identifier);
    const now = new Date().toISOString();
    const stamp = { createdAt: now, createdBy: 'emulator', updatedAt: now, updatedBy: 'emulator' };
    const builtIn = BUILT_IN_BLUEPRINTS.filter((b) => this.builtIn.has(b.identifier)).map((b) => ({ ...stamp, ...b }));
    for (const blueprint of [...blueprints, ...builtIn]) {
      this.blueprints.set(blueprint.identifier, blueprint);
      this.byBlueprint.set(blueprint.identifier, new Map());
    }
    for (const blueprint of blueprints) {
      for (const [key, relation] of Object.entries(blueprint.relations ?? {})) {
        if (!this.blueprints.has(relation.target)) {
          throw new EmulatorSetupError(
            `blueprint "${blueprint.identifier}" has a relation "${key}" to blueprint "${relation.target}", which the emulator was not given: give its definition too (Port knows every blueprint, so the emulator must)`,
          );
        }
      }
    }
    // Compiled now, as a server that has started has them: the first write is not the one that pays. A
    // definition ajv cannot compile fails where it is used, as it did before (each write says why).
    for (const blueprint of blueprints) {
      try {
        validator.prepare(blueprint);
      } catch {}
    }
    for (const team of options.teams ?? []) {
      this.entityMap(TEAM_BLUEPRINT).set(team, {
        identifier: team,
        blueprint: TEAM_BLUEPRINT,
        title: team,
        team: [],
        properties: {},
        relations: {},
        createdAt: now,
        createdBy: 'emulator',
        updatedAt: now,
        updatedBy: 'emulator',
      });
    }
  }

  /**
   * `POST /v1/blueprints`: a new blueprint (its body has passed the route's schema). Its relations must
   * target blueprints Port has; an identifier Port has already is refused (docs/port-fidelity.md).
   */
  createBlueprint(definition: Blueprint, actor: string): Blueprint {
    if (this.blueprints.has(definition.identifier)) {
      throw new ApiError('blueprint-taken', `blueprint "${definition.identifier}" already exists`);
    }
    for (const [key, relation] of Object.entries(definition.relations ?? {})) {
      if (!this.blueprints.has(relation.target)) {
        throw new ApiError(
          'not-found',
          `relation "${key}" targets blueprint "${relation.target}", which was not found`,
        );
      }
    }
    const now = new Date().toISOString();
    const blueprint = { ...definition, createdAt: now, createdBy: actor, updatedAt: now, updatedBy: actor };
    this.blueprints.set(blueprint.identifier, blueprint);
    this.byBlueprint.set(blueprint.identifier, new Map());
    this.created.add(blueprint.identifier);
    this.onChange();
    return blueprint;
  }

  /**
   * `PUT /v1/blueprints/{identifier}`: the definition replaced by the body, every key of it. Port refuses
   * a property's type, format or array item type changed in place (`forbidden_format_change`), and a
   * relation to a blueprint it does not have; a property or relation removed takes its values from every
   * entity (inferred: docs/port-fidelity.md). A new identifier in the body (a rename) is not emulated.
   */
  replaceBlueprint(identifier: string, definition: Blueprint, actor: string, patched = false): Blueprint {
    const before = this.blueprint(identifier);
    if (definition.identifier !== undefined && definition.identifier !== identifier) {
      throw new ApiError('unsupported', 'renaming a blueprint is not emulated');
    }
    const core = BUILT_IN_BLUEPRINTS.find((b) => b.identifier === identifier);
    if (core && !patched) {
      throw new ApiError('system-blueprint', `Port's system blueprint "${identifier}" can only be extended (PATCH)`);
    }
    for (const [key, property] of Object.entries(core?.schema.properties ?? {})) {
      if (JSON.stringify(definition.schema.properties[key]) !== JSON.stringify(property)) {
        throw new ApiError(
          'system-blueprint',
          `property "${key}" of Port's system blueprint "${identifier}" is Port's`,
        );
      }
    }
    const now = definition.schema.properties;
    for (const [key, was] of Object.entries(before.schema.properties)) {
      const next = now[key];
      if (!next) continue;
      const shape = (p: typeof was) => JSON.stringify([p.type, p.format, p.items?.type, p.items?.format]);
      if (shape(was) !== shape(next)) {
        throw new ApiError('format-change', `property "${key}" cannot change its type or format in place`);
      }
    }
    for (const [key, relation] of Object.entries(definition.relations ?? {})) {
      if (!this.blueprints.has(relation.target)) {
        throw new ApiError(
          'not-found',
          `relation "${key}" targets blueprint "${relation.target}", which was not found`,
        );
      }
    }
    const entities = [...this.entityMap(identifier).values()];
    const decisions = this.blueprintChanges;
    const newlyRequired = (definition.schema.required ?? []).filter((k) => !(before.schema.required ?? []).includes(k));
    const lacking = newlyRequired.filter((k) => entities.some((e) => e.properties[k] === undefined));
    if (lacking.length > 0 && decisions.requiredOnExisting === 'refuse') {
      throw new ApiError('required-on-existing', `entities lack the property "${lacking[0]}" made required`);
    }
    const reshaped = Object.entries(definition.relations ?? {})
      .filter(([key, relation]) => {
        const was = before.relations?.[key];
        return was && (was.target !== relation.target || Boolean(was.many) !== Boolean(relation.many));
      })
      .map(([key]) => key);
    if (reshaped.length > 0 && decisions.relationReshape === 'refuse') {
      throw new ApiError('relation-reshape', `relation "${reshaped[0]}" cannot change its target or many`);
    }
    const ownedDirectly = (b: Blueprint) => (b.ownership?.type ?? 'Direct') === 'Direct';
    const dropTeams =
      ownedDirectly(before) && !ownedDirectly(definition) && decisions.teamsOnOwnershipChange === 'drop';
    const stamp = new Date().toISOString();
    const blueprint = {
      ...definition,
      identifier,
      createdAt: before.createdAt,
      createdBy: before.createdBy,
      updatedAt: stamp,
      updatedBy: actor,
    } as Blueprint;
    this.blueprints.set(identifier, blueprint);
    for (const entity of entities) {
      for (const key of Object.keys(entity.properties)) if (!(key in now)) delete entity.properties[key];
      for (const key of Object.keys(entity.relations))
        if (!(key in (definition.relations ?? {})) || reshaped.includes(key)) delete entity.relations[key];
      if (dropTeams) entity.team = [];
    }
    this.created.add(identifier);
    this.onChange();
    return blueprint;
  }

  /**
   * `PATCH /v1/blueprints/{identifier}`: the body merged into the definition, key by key, and one level
   * down in the keys that are maps of named parts (`schema.properties`, relations, computed properties),
   * so that a part can be added without sending the others; nothing is removed (inferred from how Port's
   * own clients use it: docs/port-fidelity.md). The result meets the same rules as a replacement.
   */
  patchBlueprint(identifier: string, partial: Partial<Blueprint>, actor: string): Blueprint {
    const before = this.blueprint(identifier) as unknown as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...before };
    for (const [key, value] of Object.entries(partial)) {
      const was = before[key];
      if (key === 'schema' && isMap(value) && isMap(was)) {
        merged.schema = {
          ...was,
          ...value,
          properties: { ...(was.properties as object), ...(value.properties as object) },
        };
      } else if (NAMED_PARTS.has(key) && isMap(value) && isMap(was)) merged[key] = { ...was, ...value };
      else merged[key] = value;
    }
    return this.replaceBlueprint(identifier, merged as unknown as Blueprint, actor, true);
  }

  /**
   * What refuses `DELETE /v1/blueprints/{identifier}/all-entities` before it starts: a system blueprint, a
   * blueprint with a required relation (Port's docs: the route cannot be used then), an entity of another
   * blueprint whose required relation names one of them (has_dependents), and with `deleteBlueprint`,
   * what refuses the blueprint's own deletion apart from its entities.
   */
  checkDeleteAllEntities(identifier: string, deleteBlueprint: boolean): void {
    const blueprint = this.blueprint(identifier);
    if (PROTECTED_BLUEPRINTS.has(identifier)) {
      throw new ApiError(
        'system-blueprint',
        `the entities of Port's system blueprint "${identifier}" cannot be deleted at once`,
      );
    }
    const required = Object.entries(blueprint.relations ?? {}).find(([, relation]) => relation.required);
    if (required) {
      throw new ApiError(
        'all-entities-required-relation',
        `blueprint "${identifier}" has the required relation "${required[0]}": delete its entities one by one`,
      );
    }
    this.collectDeletion(identifier, [...this.entityMap(identifier).keys()], false);
    if (deleteBlueprint) this.checkNotTargeted(identifier);
  }

  /** The work of `all-entities`, once it runs: every entity of the blueprint, then (if asked) the blueprint. */
  deleteAllEntities(identifier: string, deleteBlueprint: boolean): void {
    this.checkDeleteAllEntities(identifier, deleteBlueprint);
    this.deleteMany(identifier, [...this.entityMap(identifier).keys()], false);
    if (deleteBlueprint) this.deleteBlueprint(identifier);
  }

  /**
   * `DELETE /v1/blueprints/{identifier}`: refused while Port holds any entity of it (`has_dependents`;
   * Port does not cascade) or another blueprint's relation targets it, and for Port's system blueprints.
   */
  deleteBlueprint(identifier: string): void {
    this.blueprint(identifier);
    if (PROTECTED_BLUEPRINTS.has(identifier)) {
      throw new ApiError('system-blueprint', `Port's system blueprint "${identifier}" cannot be deleted`);
    }
    const count = this.entityMap(identifier).size;
    if (count > 0) {
      throw new ApiError(
        'blueprint-has-entities',
        `blueprint "${identifier}" cannot be deleted: there are ${count} "${identifier}" entities`,
      );
    }
    this.checkNotTargeted(identifier);
    this.blueprints.delete(identifier);
    this.byBlueprint.delete(identifier);
    this.created.delete(identifier);
    this.onChange();
  }

  private checkNotTargeted(identifier: string): void {
    for (const other of this.blueprints.values()) {
      if (other.identifier === identifier) continue;
      for (const [key, relation] of Object.entries(other.relations ?? {})) {
        if (relation.target === identifier) {
          throw new ApiError(
            'blueprint-targeted',
            `blueprint "${identifier}" cannot be deleted: relation "${key}" of "${other.identifier}" targets it`,
          );
        }
      }
    }
  }

  listBlueprints(): Blueprint[] {
    return [...this.blueprints.values()];
  }

  blueprint(identifier: string): Blueprint {
    const blueprint = this.blueprints.get(identifier);
    if (!blueprint) throw new ApiError('not-found', `blueprint "${identifier}" was not found`);
    return blueprint;
  }

  list(blueprint: string): StoredEntity[] {
    this.blueprint(blueprint);
    return [...this.entityMap(blueprint).values()];
  }

  /** Every entity, Port's own (teams, users) included. */
  all(): StoredEntity[] {
    return [...this.byBlueprint.values()].flatMap((byId) => [...byId.values()]);
  }

  /** The entities of the blueprints the emulator was given: what a sync wrote, without Port's built-in teams and users. */
  entities(): StoredEntity[] {
    return this.all().filter((entity) => !this.builtIn.has(entity.blueprint));
  }

  get(blueprint: string, identifier: string): StoredEntity {
    this.blueprint(blueprint);
    const entity = this.entityMap(blueprint).get(identifier);
    if (!entity) throw notFoundEntity(blueprint, identifier);
    return entity;
  }

  search(query: SearchQuery, blueprint?: string): StoredEntity[] {
    checkQuery(query);
    const pool = blueprint === undefined ? this.all() : this.list(blueprint);
    return pool.filter((entity) => matchesQuery(entity, query));
  }

  /**
   * Create, override or merge one entity, as `POST /v1/blueprints/{bp}/entities` does once the body has
   * passed the route's schema. Each refusal is one of Port's decisions (docs/port-fidelity.md).
   */
  write(blueprintId: string, body: EntityBody, options: WriteOptions): WriteResult {
    const blueprint = this.blueprint(blueprintId);
    const computed = computedPropertyKinds(blueprint);
    for (const key of Object.keys(body.properties ?? {})) {
      const kind = computed.get(key);
      if (kind) throw new ApiError('computed-property', `"properties.${key}" is a ${kind} property: Port computes it`);
    }
    if (body.team !== undefined && inheritsTeam(blueprint)) {
      throw new ApiError(
        'team-inherited',
        `blueprint "${blueprintId}" takes its entities' team from a related entity: "team" cannot be set`,
      );
    }
    for (const key of Object.keys(body.relations ?? {})) {
      if (!blueprint.relations?.[key]) {
        throw new ApiError('unknown-relation', `relation "${key}" was not found in blueprint "${blueprintId}"`);
      }
    }

    const identifier = this.resolveIdentifier(blueprintId, body.identifier);
    const existing = this.entityMap(blueprintId).get(identifier);
    if (existing && !options.upsert) {
      throw new ApiError('identifier-taken', `entity "${identifier}" already exists in blueprint "${blueprintId}"`);
    }

    const base = existing && options.merge ? existing : undefined;
    const properties = withoutNulls({ ...(base?.properties ?? {}), ...(body.properties ?? {}) });
    const rawRelations = { ...(base?.relations ?? {}), ...(body.relations ?? {}) };
    const relations = this.resolveRelations(blueprint, withoutNulls(rawRelations));
    const schemaErrors = this.validator.validateAgainstBlueprint(blueprint, {
      properties,
      relations: relations.values,
    });
    if (schemaErrors.length > 0) {
      const { decision, message } = judge(blueprint, schemaErrors);
      throw new ApiError(decision, message);
    }

    const team = body.team === undefined ? (base?.team ?? []) : this.resolveTeams(body.team);
    const missing = relations.missing;
    if (missing.length > 0 && !options.createMissingRelated) {
      const first = missing[0]!;
      throw new ApiError(
        'missing-related-entity',
        `related entity "${first.identifier}" of blueprint "${first.blueprint}" (relation "${first.relation}") was not found`,
      );
    }
    for (const target of missing) {
      if (PROTECTED_BLUEPRINTS.has(target.blueprint)) {
        throw new ApiError(
          'protected-related-entity',
          `related entity "${target.identifier}" of blueprint "${target.blueprint}" was not found, and entities of "${target.blueprint}" are never created bare`,
        );
      }
    }

    const now = new Date().toISOString();
    const entity: StoredEntity = {
      identifier,
      blueprint: blueprintId,
      ...pick('title', body.title, base?.title),
      ...pick('icon', body.icon, base?.icon),
      team,
      properties,
      relations: relations.values,
      createdAt: existing?.createdAt ?? now,
      createdBy: existing?.createdBy ?? options.actor,
      updatedAt: now,
      updatedBy: options.actor,
      ...(options.datasource ? { datasource: options.datasource } : {}),
    };
    if (options.validationOnly) return { entity, created: !existing };

    for (const target of missing) {
      this.entityMap(target.blueprint).set(target.identifier, {
        identifier: target.identifier,
        blueprint: target.blueprint,
        team: [],
        properties: {},
        relations: {},
        createdAt: now,
        createdBy: options.actor,
        updatedAt: now,
        updatedBy: options.actor,
        ...(options.datasource ? { datasource: options.datasource } : {}),
      });
    }
    this.entityMap(blueprintId).set(identifier, entity);
    this.onChange();
    return { entity, created: !existing };
  }

  /** `DELETE .../entities/{id}`: refuses to orphan a required relation unless dependents go too (docs/port-fidelity.md). */
  delete(blueprintId: string, identifier: string, deleteDependents: boolean): void {
    this.get(blueprintId, identifier);
    const doomed = this.collectDeletion(blueprintId, [identifier], deleteDependents);
    for (const [bp, id] of doomed) this.entityMap(bp).delete(id);
    this.onChange();
  }

  /** Bulk delete: all or nothing when a dependent blocks it (docs/port-fidelity.md). */
  deleteMany(blueprintId: string, identifiers: string[], deleteDependents: boolean): string[] {
    this.blueprint(blueprintId);
    const present = identifiers.filter((id) => this.entityMap(blueprintId).has(id));
    const doomed = this.collectDeletion(blueprintId, present, deleteDependents);
    for (const [bp, id] of doomed) this.entityMap(bp).delete(id);
    if (doomed.length > 0) this.onChange();
    return present;
  }

  /** The blueprints created through the API, for the data file. */
  createdBlueprints(): Blueprint[] {
    return [...this.created].map((id) => this.blueprints.get(id)!);
  }

  restore({ entities, blueprints = [] }: { entities: StoredEntity[]; blueprints?: Blueprint[] }): void {
    for (const blueprint of blueprints) {
      if (this.blueprints.has(blueprint.identifier)) continue;
      this.blueprints.set(blueprint.identifier, blueprint);
      this.byBlueprint.set(blueprint.identifier, new Map());
      this.created.add(blueprint.identifier);
    }
    for (const entity of entities) {
      if (this.blueprints.has(entity.blueprint)) this.entityMap(entity.blueprint).set(entity.identifier, entity);
    }
  }

  private entityMap(blueprint: string): Map<string, StoredEntity> {
    let byId = this.byBlueprint.get(blueprint);
    if (!byId) {
      byId = new Map();
      this.byBlueprint.set(blueprint, byId);
    }
    return byId;
  }

  private resolveIdentifier(blueprint: string, identifier: unknown): string {
    if (identifier === undefined) return `e_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    if (typeof identifier === 'string') return identifier;
    // "Map by property": the query must match exactly one entity; nothing is created otherwise (docs/port-fidelity.md).
    const matches = this.search(identifier as SearchQuery, blueprint);
    if (matches.length !== 1) {
      throw new ApiError(
        'identifier-query',
        `the identifier query matched ${matches.length} entities of blueprint "${blueprint}"; it must match exactly one`,
      );
    }
    return matches[0]!.identifier;
  }

  /** An entity's teams: names (or a query) of `_team` entities, each of which must exist (docs/port-fidelity.md). */
  private resolveTeams(team: unknown): string[] {
    const names =
      typeof team === 'string'
        ? [team]
        : Array.isArray(team)
          ? (team as string[])
          : this.search(team as SearchQuery, TEAM_BLUEPRINT).map((e) => e.identifier);
    const teams = this.entityMap(TEAM_BLUEPRINT);
    const unknown = names.find((name) => !teams.has(name));
    if (unknown !== undefined) throw new ApiError('unknown-team', `team "${unknown}" was not found`);
    return names;
  }

  private resolveRelations(blueprint: Blueprint, raw: Record<string, unknown>) {
    const values: Record<string, string | string[]> = {};
    const missing: Array<{ relation: string; blueprint: string; identifier: string }> = [];
    for (const [key, value] of Object.entries(raw)) {
      const relation = blueprint.relations?.[key];
      if (
        !relation ||
        (typeof value === 'object' && value !== null && !Array.isArray(value) && !('combinator' in value))
      ) {
        values[key] = value as string; // left for the blueprint schema to reject
        continue;
      }
      let ids: string | string[] = value as string | string[];
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const matches = this.search(value as SearchQuery, relation.target).map((e) => e.identifier);
        if (matches.length > MAX_RELATION_QUERY_MATCHES) {
          throw new ApiError(
            'relation-query',
            `the query of relation "${key}" matched more than ${MAX_RELATION_QUERY_MATCHES} entities`,
          );
        }
        if (!relation.many && matches.length !== 1) {
          throw new ApiError(
            'relation-query',
            `the query of single relation "${key}" matched ${matches.length} entities; it must match exactly one`,
          );
        }
        ids = relation.many ? matches : matches[0]!;
      }
      values[key] = ids;
      for (const id of Array.isArray(ids) ? ids : [ids]) {
        if (typeof id === 'string' && !this.entityMap(relation.target).has(id)) {
          missing.push({ relation: key, blueprint: relation.target, identifier: id });
        }
      }
    }
    return { values, missing };
  }

  /** The entities a deletion removes: the targets, plus (with deleteDependents) whatever relates to them. */
  private collectDeletion(
    blueprint: string,
    identifiers: string[],
    deleteDependents: boolean,
  ): Array<[string, string]> {
    const doomed = new Map<string, [string, string]>();
    const queue: Array<[string, string]> = identifiers.map((id) => [blueprint, id]);
    while (queue.length > 0) {
      const [bp, id] = queue.shift()!;
      const key = `${bp}\u0000${id}`;
      if (doomed.has(key)) continue;
      doomed.set(key, [bp, id]);
      for (const dependent of this.dependentsOf(bp, id)) {
        if (deleteDependents) queue.push([dependent.entity.blueprint, dependent.entity.identifier]);
        else if (dependent.required && !identifiers.includes(dependent.entity.identifier)) {
          throw new ApiError(
            'has-dependents',
            `entity "${id}" cannot be deleted: "${dependent.entity.identifier}" of blueprint "${dependent.entity.blueprint}" has a required relation to it (delete_dependents=true deletes it too)`,
          );
        }
      }
    }
    return [...doomed.values()];
  }

  private dependentsOf(blueprint: string, identifier: string) {
    const found: Array<{ entity: StoredEntity; required: boolean }> = [];
    for (const source of this.blueprints.values()) {
      for (const [key, relation] of Object.entries(source.relations ?? {})) {
        if (relation.target !== blueprint) continue;
        for (const entity of this.entityMap(source.identifier).values()) {
          const value = entity.relations[key];
          if (value === identifier || (Array.isArray(value) && value.includes(identifier))) {
            found.push({ entity, required: relation.required });
          }
        }
      }
    }
    return found;
  }
}

function notFoundEntity(blueprint: string, identifier: string): ApiError {
  return new ApiError('not-found', `entity "${identifier}" was not found in blueprint "${blueprint}"`);
}

/**
 * Which of Port's decisions a blueprint failure is: a required relation left out, several identifiers for a
 * single relation, or the entity not matching the blueprint's schema (docs/port-fidelity.md). When every
 * failure rests on a rule Port does not document, the refusal says so.
 */
function judge(blueprint: Blueprint, errors: SchemaError[]): { decision: Decision; message: string } {
  const missingRelation = errors.find((e) => e.keyword === 'required' && e.instancePath === '/relations');
  if (missingRelation) {
    const name = (missingRelation.params as { missingProperty: string }).missingProperty;
    return {
      decision: 'required-relation',
      message: `relation "${name}" is required by blueprint "${blueprint.identifier}"`,
    };
  }
  const many = errors.find(
    (e) => e.keyword === 'type' && e.instancePath.startsWith('/relations/') && Array.isArray(e.data),
  );
  if (many) {
    const name = many.instancePath.split('/')[2];
    return { decision: 'relation-many', message: `relation "${name}" is a single relation: it takes one identifier` };
  }
  const described = errors.slice(0, 5).map(describeSchemaError).join('; ');
  const reasons = errors.map((e) => unverifiedRule(e, blueprint));
  if (reasons.every((reason) => reason !== undefined)) {
    return {
      decision: 'unverified-rule',
      message: `the entity does not match blueprint "${blueprint.identifier}": ${described} (the emulator's own judgement: ${reasons[0]})`,
    };
  }
  return {
    decision: 'blueprint-schema',
    message: `the entity does not match blueprint "${blueprint.identifier}": ${described}`,
  };
}

/** `"properties.tier" must be number`: the path of the value, then what is wrong with it. */
function describeSchemaError(error: SchemaError): string {
  const path = error.instancePath.split('/').filter(Boolean).join('.') || 'entity';
  const params = error.params as { additionalProperty?: string; missingProperty?: string };
  if (error.keyword === 'additionalProperties') return `"${path}" has an unknown key "${params.additionalProperty}"`;
  if (error.keyword === 'required') return `"${path}" lacks the required key "${params.missingProperty}"`;
  return `"${path}" ${error.message ?? 'is invalid'}`;
}

function withoutNulls<T>(record: Record<string, T | null>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

function pick<K extends string>(
  key: K,
  sent: string | undefined,
  kept: string | undefined,
): Partial<Record<K, string>> {
  const value = sent ?? kept;
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
