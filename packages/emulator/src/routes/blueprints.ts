import type { Blueprint } from '@port-gitops/port-schema';
import type { MigrationBody, Migrations } from '../migrations.js';
import { booleanParam, type Route, route } from '../router.js';
import type { EntityStore } from '../store.js';

export function blueprintRoutes(store: EntityStore, migrations: Migrations): Route[] {
  return [
    route('POST', '/v1/blueprints', true, (ctx) => {
      // Read for its type only: the emulator has no catalog pages to create.
      booleanParam(ctx.query, 'create_catalog_page');
      return { status: 201, body: { ok: true, blueprint: store.createBlueprint(ctx.body as Blueprint, ctx.actor) } };
    }),
    route('GET', '/v1/blueprints', true, () => ({
      status: 200,
      body: { ok: true, blueprints: store.listBlueprints() },
    })),
    route('GET', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.blueprint(ctx.params.identifier!) },
    })),
    route('DELETE', '/v1/blueprints/{identifier}', true, (ctx) => {
      store.deleteBlueprint(ctx.params.identifier!);
      return { status: 200, body: { ok: true } };
    }),
    route('PUT', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.replaceBlueprint(ctx.params.identifier!, ctx.body as Blueprint, ctx.actor) },
    })),
    route('PATCH', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.patchBlueprint(ctx.params.identifier!, ctx.body as Blueprint, ctx.actor) },
    })),
    // Port's clients read `migrationId` from this answer (docs/port-fidelity.md); the spec lists `ok` alone.
    route('DELETE', '/v1/blueprints/{blueprint_identifier}/all-entities', true, (ctx) => {
      const deleteBlueprint = booleanParam(ctx.query, 'delete_blueprint');
      const migrationId = migrations.deleteAllEntities(ctx.params.blueprint_identifier!, deleteBlueprint);
      return { status: 200, body: { ok: true, migrationId } };
    }),
    route('POST', '/v1/migrations', true, (ctx) => ({
      status: 200,
      body: { ok: true, migration: migrations.get(migrations.migrate(ctx.body as MigrationBody)) },
    })),
    route('GET', '/v1/migrations/{migration_id}', true, (ctx) => ({
      status: 200,
      body: { ok: true, migration: migrations.get(ctx.params.migration_id!) },
    })),
  ];
}
