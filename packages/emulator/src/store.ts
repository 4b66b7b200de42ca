import { randomUUID } from 'node:crypto';
import {
  type Blueprint,
  type EntityValidator,
  type SchemaError,
  computedPropertyKinds,
} from '@port-gitops/port-schema';
import { ApiError } from './api-error.js';
import { matchesQuery } from './search.js';
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

/** Blueprints Port protects from barebones creation through create_missing_related_entities (docs/port-fidelity.md). */
const PROTECTED_BLUEPRINTS = new Set(['_user', '_team']);
const MAX_RELATION_QUERY_MATCHES = 100;

type EntityBody = Record<string, unknown> & {
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
  private readonly entities = new Map<string, Map<string, StoredEntity>>();
  private readonly validator: EntityValidator;
  /** Called after every change that must be persisted. */
  onChange: () => void = () => {};

  constructor(blueprints: Blueprint[], validator: EntityValidator) {
    this.validator = validator;
    for (const blueprint of blueprints) {
      this.blueprints.set(blueprint.identifier, blueprint);
      this.entities.set(blueprint.identifier, new Map());
    }
  }

  listBlueprints(): Blueprint[] {
    return [...this.blueprints.values()];
  }

  blueprint(identifier: string): Blueprint {
    const blueprint = this.blueprints.get(identifier);
    if (!blueprint) throw new ApiError(404, `Blueprint with identifier "${identifier}" was not found`);
    return blueprint;
  }

  list(blueprint: string): StoredEntity[] {
    this.blueprint(blueprint);
    return [...this.entityMap(blueprint).values()];
  }

  all(): StoredEntity[] {
    return [...this.entities.values()].flatMap((byId) => [...byId.values()]);
  }

  get(blueprint: string, identifier: string): StoredEntity {
    this.blueprint(blueprint);
    const entity = this.entityMap(blueprint).get(identifier);
    if (!entity) throw notFoundEntity(blueprint, identifier);
    return entity;
  }

  search(query: SearchQuery, blueprint?: string): StoredEntity[] {
    const pool = blueprint === undefined ? this.all() : this.list(blueprint);
    return pool.filter((entity) => matchesQuery(entity, query));
  }

  /** Create, override or merge one entity, as `POST /v1/blueprints/{bp}/entities` does (docs/port-fidelity.md). */
  write(blueprintId: string, body: EntityBody, options: WriteOptions): WriteResult {
    const blueprint = this.blueprint(blueprintId);
    const bodyErrors = this.validator.validateBody(body);
    if (bodyErrors.length > 0) throw new ApiError(422, describeSchemaErrors(bodyErrors));

    const identifier = this.resolveIdentifier(blueprintId, body.identifier);
    const existing = this.entityMap(blueprintId).get(identifier);
    if (existing && !options.upsert) {
      throw new ApiError(409, `Entity with identifier "${identifier}" already exists in blueprint "${blueprintId}"`);
    }

    const base = existing && options.merge ? existing : undefined;
    const properties = withoutNulls({ ...(base?.properties ?? {}), ...(body.properties ?? {}) });
    const rawRelations = { ...(base?.relations ?? {}), ...(body.relations ?? {}) };

    const computed = computedPropertyKinds(blueprint);
    for (const key of Object.keys(body.properties ?? {})) {
      const kind = computed.get(key);
      if (kind)
        throw new ApiError(422, `"properties.${key}" is a ${kind} property: Port computes it and it cannot be set`);
    }

    const relations = this.resolveRelations(blueprint, withoutNulls(rawRelations));
    const schemaErrors = this.validator.validateAgainstBlueprint(blueprint, {
      properties,
      relations: relations.values,
    });
    if (schemaErrors.length > 0) throw new ApiError(422, describeSchemaErrors(schemaErrors));

    const missing = relations.missing;
    if (missing.length > 0 && !options.createMissingRelated) {
      const first = missing[0]!;
      throw new ApiError(
        404,
        `Related entity "${first.identifier}" of blueprint "${first.blueprint}" (relation "${first.relation}") was not found`,
      );
    }
    for (const target of missing) {
      if (PROTECTED_BLUEPRINTS.has(target.blueprint)) {
        throw new ApiError(
          404,
          `Related entity "${target.identifier}" of protected blueprint "${target.blueprint}" was not found and cannot be created`,
        );
      }
    }

    const now = new Date().toISOString();
    const team =
      body.team === undefined
        ? (base?.team ?? [])
        : typeof body.team === 'string'
          ? [body.team]
          : (body.team as string[]);
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

  restore(entities: StoredEntity[]): void {
    for (const entity of entities) {
      if (this.blueprints.has(entity.blueprint)) this.entityMap(entity.blueprint).set(entity.identifier, entity);
    }
  }

  private entityMap(blueprint: string): Map<string, StoredEntity> {
    let byId = this.entities.get(blueprint);
    if (!byId) {
      byId = new Map();
      this.entities.set(blueprint, byId);
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
        404,
        `The identifier query matched ${matches.length} entities of blueprint "${blueprint}"; it must match exactly one`,
      );
    }
    return matches[0]!.identifier;
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
            422,
            `The query of relation "${key}" matched more than ${MAX_RELATION_QUERY_MATCHES} entities`,
          );
        }
        if (!relation.many && matches.length !== 1) {
          throw new ApiError(
            422,
            `The query of single relation "${key}" matched ${matches.length} entities; it must match exactly one`,
          );
        }
        ids = relation.many ? matches : matches[0]!;
      }
      values[key] = ids;
      if (!this.blueprints.has(relation.target)) continue;
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
            422,
            `Entity "${id}" cannot be deleted: "${dependent.entity.identifier}" of blueprint "${dependent.entity.blueprint}" has a required relation to it (use delete_dependents=true)`,
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
  return new ApiError(404, `Entity with identifier "${identifier}" was not found in blueprint "${blueprint}"`);
}

/** AJV-style text, as Port's 422 messages read (docs/port-fidelity.md): `"properties.tier" must be number`. */
function describeSchemaErrors(errors: SchemaError[]): string {
  return errors
    .slice(0, 5)
    .map((error) => {
      const path = error.instancePath.split('/').filter(Boolean).join('.') || 'body';
      if (error.keyword === 'additionalProperties') {
        return `"${path}" must NOT have additional property '${(error.params as { additionalProperty: string }).additionalProperty}'`;
      }
      if (error.keyword === 'required') {
        return `"${path}" must have required property '${(error.params as { missingProperty: string }).missingProperty}'`;
      }
      return `"${path}" ${error.message ?? 'is invalid'}`;
    })
    .join('; ');
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
