import { randomUUID } from 'node:crypto';
import type { Jq } from 'jq-wasm';
import { ApiError } from './api-error.js';
import type { EntityBody, EntityStore } from './store.js';

/** A migration's state, in Port's words (`GET /v1/migrations/{id}`). */
type MigrationStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILURE';

export interface Migration {
  id: string;
  status: MigrationStatus;
  sourceBlueprint: string;
  /** Why it failed, when it did. */
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** `POST /v1/migrations`: entities of `sourceBlueprint` mapped by jq into `mapping.blueprint`. */
export interface MigrationBody {
  sourceBlueprint: string;
  mapping: {
    blueprint?: string;
    filter?: string;
    entity: { identifier?: string; title?: string; icon?: string; team?: string } & {
      properties?: Record<string, string>;
      relations?: Record<string, string>;
    };
  };
}

let loading: Promise<Jq> | undefined;

/**
 * Port's asynchronous operations: a blueprint's entities deleted all at once, and data migrations. Each
 * answers at once with an id and runs after the answer (PENDING, then RUNNING, then COMPLETED or
 * FAILURE), so a client sees its effect only by polling `GET /v1/migrations/{id}` until it ends.
 */
export class Migrations {
  private readonly byId = new Map<string, Migration>();

  constructor(private readonly store: EntityStore) {}

  get(id: string): Migration {
    const migration = this.byId.get(id);
    if (!migration) throw new ApiError('not-found', `migration "${id}" was not found`);
    return migration;
  }

  /**
   * `DELETE /v1/blueprints/{id}/all-entities`: what would refuse it is refused now (the answer), the
   * deletion itself runs as a migration.
   */
  deleteAllEntities(blueprint: string, deleteBlueprint: boolean): string {
    this.store.checkDeleteAllEntities(blueprint, deleteBlueprint);
    return this.start(blueprint, async () => {
      this.store.deleteAllEntities(blueprint, deleteBlueprint);
    });
  }

  /**
   * `POST /v1/migrations`: every entity of the source blueprint that passes `filter` (jq, on the entity
   * as Port returns it) is merged into the target blueprint with the fields the mapping's jq gives.
   * Entity by entity: those the target refuses stay as they were, and the migration ends FAILURE saying
   * how many (a guess: docs/port-fidelity.md).
   */
  migrate(body: MigrationBody): string {
    const target = body.mapping.blueprint ?? body.sourceBlueprint;
    this.store.blueprint(body.sourceBlueprint);
    this.store.blueprint(target);
    return this.start(body.sourceBlueprint, async () => {
      loading ??= import('jq-wasm/inline').then(({ loadJq }) => loadJq());
      const jq = await loading;
      const { entity } = body.mapping;
      const field = (filter: string) => `(${filter})`;
      const object = (fields: Record<string, string> | undefined) =>
        `{${Object.entries(fields ?? {})
          .map(([key, filter]) => `${JSON.stringify(key)}: ${field(filter)}`)
          .join(', ')}}`;
      const parts = [
        `identifier: ${field(entity.identifier ?? '.identifier')}`,
        ...(['title', 'icon', 'team'] as const)
          .filter((key) => entity[key] !== undefined)
          .map((key) => `${key}: ${field(entity[key]!)}`),
        ...(entity.properties ? [`properties: ${object(entity.properties)}`] : []),
        ...(entity.relations ? [`relations: ${object(entity.relations)}`] : []),
      ];
      const program = `[.[] | select(${field(body.mapping.filter ?? 'true')}) | {${parts.join(', ')}}]`;
      const [bodies] = jq.json<EntityBody[]>(this.store.list(body.sourceBlueprint), program, ['-c']);
      const writes = (bodies ?? []).map((one) => ({ ...one, properties: withoutNulls(one.properties) }));
      const options = {
        upsert: true,
        merge: true,
        createMissingRelated: false,
        validationOnly: false,
        actor: 'migration',
      };
      const refused: string[] = [];
      for (const one of writes) {
        try {
          this.store.write(target, one, options);
        } catch (error) {
          refused.push(`${String(one.identifier)}: ${(error as Error).message}`);
        }
      }
      if (refused.length > 0) {
        throw new Error(`${refused.length} of ${writes.length} entities were refused (first: ${refused[0]})`);
      }
    });
  }

  private start(sourceBlueprint: string, work: () => Promise<void>): string {
    const now = new Date().toISOString();
    const migration: Migration = {
      id: `migration_${randomUUID()}`,
      status: 'PENDING',
      sourceBlueprint,
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(migration.id, migration);
    const to = (status: MigrationStatus, failureReason?: string) => {
      migration.status = status;
      migration.updatedAt = new Date().toISOString();
      if (failureReason) migration.failureReason = failureReason;
    };
    setImmediate(() => {
      to('RUNNING');
      work().then(
        () => to('COMPLETED'),
        (error: unknown) => to('FAILURE', error instanceof Error ? error.message : String(error)),
      );
    });
    return migration.id;
  }
}

/** A mapped property that came out null is left out (jq's answer for a missing key), as Port drops nulls. */
function withoutNulls(properties: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!properties) return undefined;
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== null));
}
