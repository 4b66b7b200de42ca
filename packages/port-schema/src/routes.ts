/**
 * The routes of Port's REST API that port-gitops relies on, described by this project in its own schemas:
 * paths, query parameters, request bodies, the answers by status, and the limits. Facts only, checked
 * against Port's published OpenAPI description by test/port-spec.test.ts whenever a path to that file is
 * given (PORT_OPENAPI). The client and the emulator are held to this description in every test run
 * (test/contract.test.ts). docs/port-fidelity.md says where each fact comes from.
 */
import {
  BLUEPRINT_IDENTIFIER_SCHEMA,
  ENTITY_IDENTIFIER_SCHEMA,
  type JsonSchema,
  RELATION_VALUE_SCHEMA,
  SEARCH_QUERY_SCHEMA,
} from './entity-schema.js';
import { MAX_BULK_ENTITIES } from './limits.js';

interface QueryParameter {
  type: 'boolean' | 'string';
  /** Port's description marks it required. */
  required?: boolean;
}

interface RouteAnswer {
  schema: JsonSchema;
  /**
   * Where the status is documented: `spec` (the route's entry in Port's OpenAPI description) or `docs`
   * (Port's documentation or its own clients, not the route's entry).
   */
  source: 'spec' | 'docs';
}

export interface RouteDescription {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Port's OpenAPI description spells it, parameters in braces. */
  path: string;
  query?: Record<string, QueryParameter>;
  body?: JsonSchema;
  answers: Record<number, RouteAnswer>;
}

/** `{ ok: false, error, message }`: every failure. */
const FAILURE: JsonSchema = {
  type: 'object',
  required: ['ok', 'error'],
  properties: { ok: { const: false }, error: { type: 'string' }, message: { type: 'string' } },
};

/** An entity as Port answers it. */
const ENTITY: JsonSchema = {
  type: 'object',
  required: ['identifier'],
  properties: {
    identifier: { type: 'string' },
    title: { type: ['string', 'null'] },
    icon: { type: ['string', 'null'] },
    blueprint: { type: 'string' },
    team: { type: 'array', items: { type: 'string' } },
    properties: { type: 'object' },
    relations: { type: 'object' },
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    updatedAt: { type: 'string' },
    updatedBy: { type: 'string' },
  },
};

/**
 * An entity as the write routes take it: an identifier (or a search query that finds one), title, icon,
 * team (a name, names, or a query), properties, and relation values whose identifiers follow the entity
 * identifier rule. Nothing else is checked by the route: a property's value, or an unknown key, is the
 * blueprint's business (docs/port-fidelity.md). port-gitops sends string identifiers only.
 */
const ENTITY_BODY: JsonSchema = {
  type: 'object',
  properties: {
    identifier: { anyOf: [ENTITY_IDENTIFIER_SCHEMA, SEARCH_QUERY_SCHEMA] },
    title: { type: 'string' },
    icon: { type: 'string' },
    team: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, SEARCH_QUERY_SCHEMA] },
    properties: { type: 'object' },
    relations: { type: 'object', additionalProperties: RELATION_VALUE_SCHEMA },
  },
};

const BLUEPRINT: JsonSchema = {
  type: 'object',
  required: ['identifier', 'schema'],
  properties: { identifier: { type: 'string' }, schema: { type: 'object' }, relations: { type: 'object' } },
};

/** An asynchronous operation of Port's, as `GET /v1/migrations/{id}` answers it. */
const MIGRATION: JsonSchema = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string' },
    status: {
      enum: ['COMPLETED', 'RUNNING', 'PENDING', 'INITIALIZING', 'FAILURE', 'CANCELLED', 'PENDING_CANCELLATION'],
    },
  },
};

const ok = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  required: ['ok', ...required],
  properties: { ok: { const: true }, ...properties },
});

const failures = (spec: number[], docs: number[] = []): Record<number, RouteAnswer> => ({
  ...Object.fromEntries(spec.map((status) => [status, { schema: FAILURE, source: 'spec' as const }])),
  ...Object.fromEntries(docs.map((status) => [status, { schema: FAILURE, source: 'docs' as const }])),
});

const WRITE_QUERY: Record<string, QueryParameter> = {
  upsert: { type: 'boolean' },
  merge: { type: 'boolean' },
  validation_only: { type: 'boolean' },
  create_missing_related_entities: { type: 'boolean' },
  run_id: { type: 'string' },
};

/** The largest page a paginated search returns. */
export const MAX_SEARCH_PAGE = 1000;

/** The keys of a blueprint definition Port's create and replace routes describe; others are allowed. */
const BLUEPRINT_BODY_PROPERTIES: Record<string, JsonSchema> = {
  identifier: BLUEPRINT_IDENTIFIER_SCHEMA,
  title: { type: 'string', minLength: 1, maxLength: 100 },
  description: { type: 'string', maxLength: 200 },
  icon: { type: 'string' },
  schema: { type: 'object', required: ['properties'], properties: { properties: { type: 'object' } } },
  relations: { type: 'object' },
};

export const PORT_ROUTES: RouteDescription[] = [
  {
    method: 'POST',
    path: '/v1/auth/access_token',
    body: {
      type: 'object',
      required: ['clientId', 'clientSecret'],
      additionalProperties: false,
      properties: { clientId: { type: 'string' }, clientSecret: { type: 'string' } },
    },
    answers: {
      200: {
        source: 'spec',
        schema: ok({ accessToken: { type: 'string' }, expiresIn: { type: 'number' }, tokenType: { type: 'string' } }),
      },
      ...failures([401, 422]),
    },
  },
  {
    method: 'GET',
    path: '/v1/blueprints',
    answers: {
      200: { source: 'spec', schema: ok({ blueprints: { type: 'array', items: BLUEPRINT } }) },
      ...failures([401]),
    },
  },
  {
    method: 'POST',
    path: '/v1/blueprints',
    query: { create_catalog_page: { type: 'boolean' } },
    body: {
      type: 'object',
      required: ['identifier', 'title', 'schema'],
      properties: BLUEPRINT_BODY_PROPERTIES,
    },
    answers: {
      201: { source: 'spec', schema: ok({ blueprint: BLUEPRINT }) },
      ...failures([401, 404, 413, 422], [409]),
    },
  },
  {
    method: 'GET',
    path: '/v1/blueprints/{identifier}',
    answers: { 200: { source: 'spec', schema: ok({ blueprint: BLUEPRINT }) }, ...failures([401, 404]) },
  },
  {
    method: 'PUT',
    path: '/v1/blueprints/{identifier}',
    body: {
      type: 'object',
      required: ['title', 'schema'],
      properties: BLUEPRINT_BODY_PROPERTIES,
    },
    answers: {
      200: { source: 'spec', schema: ok({ blueprint: BLUEPRINT }) },
      ...failures([401, 404, 413, 422]),
    },
  },
  {
    method: 'DELETE',
    path: '/v1/blueprints/{identifier}',
    answers: { 200: { source: 'spec', schema: ok({}) }, ...failures([401, 404, 413, 422], [403]) },
  },
  {
    method: 'PATCH',
    path: '/v1/blueprints/{identifier}',
    body: { type: 'object', properties: BLUEPRINT_BODY_PROPERTIES },
    answers: {
      200: { source: 'spec', schema: ok({ blueprint: BLUEPRINT }) },
      ...failures([401, 404, 413, 422]),
    },
  },
  {
    // The spec's answer holds `ok` alone; Port's own clients (Ocean, the Terraform provider, port-cli)
    // read the `migrationId` of the deletion it starts, and poll it.
    method: 'DELETE',
    path: '/v1/blueprints/{blueprint_identifier}/all-entities',
    query: { delete_blueprint: { type: 'boolean' }, run_id: { type: 'string' } },
    answers: {
      200: { source: 'docs', schema: ok({ migrationId: { type: 'string' } }, []) },
      ...failures([401, 404, 413, 422], [403]),
    },
  },
  {
    method: 'POST',
    path: '/v1/migrations',
    body: {
      type: 'object',
      required: ['sourceBlueprint', 'mapping'],
      additionalProperties: false,
      properties: {
        sourceBlueprint: { type: 'string' },
        mapping: { type: 'object', required: ['entity'], properties: { entity: { type: 'object' } } },
      },
    },
    answers: { 200: { source: 'docs', schema: ok({ migration: MIGRATION }) }, ...failures([401, 404, 413, 422]) },
  },
  {
    // No answer but failures in the spec: the shape is the one Port's clients read (`migration.status`).
    method: 'GET',
    path: '/v1/migrations/{migration_id}',
    answers: { 200: { source: 'docs', schema: ok({ migration: MIGRATION }) }, ...failures([401, 404]) },
  },
  {
    method: 'POST',
    path: '/v1/blueprints/{blueprint_identifier}/entities',
    query: { ...WRITE_QUERY, upsert: { type: 'boolean', required: true } },
    body: ENTITY_BODY,
    answers: {
      201: { source: 'spec', schema: ok({ entity: ENTITY }) },
      ...failures([401, 404, 413, 422], [400, 403, 409]),
    },
  },
  {
    method: 'POST',
    path: '/v1/blueprints/{blueprint_identifier}/entities/bulk',
    query: { ...WRITE_QUERY, upsert: { type: 'boolean', required: true } },
    body: {
      type: 'object',
      required: ['entities'],
      additionalProperties: false,
      properties: { entities: { type: 'array', minItems: 1, maxItems: MAX_BULK_ENTITIES, items: ENTITY_BODY } },
    },
    answers: {
      200: { source: 'spec', schema: bulkAnswer() },
      207: { source: 'spec', schema: bulkAnswer() },
      ...failures([401, 404, 413, 422], [400]),
    },
  },
  {
    method: 'GET',
    path: '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}',
    answers: { 200: { source: 'spec', schema: ok({ entity: ENTITY }) }, ...failures([401, 404]) },
  },
  {
    method: 'DELETE',
    path: '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}',
    query: { delete_dependents: { type: 'boolean', required: true }, run_id: { type: 'string' } },
    answers: { 200: { source: 'spec', schema: ok({}) }, ...failures([401, 404, 413, 422], [403]) },
  },
  {
    method: 'GET',
    path: '/v1/blueprints/{blueprint_identifier}/entities-count',
    answers: { 200: { source: 'spec', schema: ok({ count: { type: 'number' } }) }, ...failures([401, 404]) },
  },
  {
    method: 'POST',
    path: '/v1/blueprints/{blueprint_identifier}/entities/search',
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        query: { type: 'object', required: ['combinator', 'rules'] },
        include: { type: 'array', items: { type: 'string' } },
        exclude: { type: 'array', items: { type: 'string' } },
        limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_PAGE },
        from: { type: 'string' },
      },
    },
    answers: {
      200: {
        source: 'spec',
        schema: ok({ entities: { type: 'array', items: ENTITY }, next: { type: 'string' } }, ['entities']),
      },
      ...failures([401, 404, 422]),
    },
  },
];

/** 200: every entity written; 207: some failed, each in `errors` by its index (then `ok` is false). */
function bulkAnswer(): JsonSchema {
  const answer = ok({
    entities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['created', 'identifier', 'index'],
        properties: {
          created: { type: 'boolean' },
          identifier: { type: 'string' },
          index: { type: 'integer' },
          additionalData: { type: 'object' },
        },
      },
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['identifier', 'index', 'statusCode', 'error', 'message'],
        properties: {
          identifier: { type: 'string' },
          index: { type: 'integer' },
          statusCode: { type: 'integer' },
          error: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  });
  return { ...answer, properties: { ...(answer.properties as object), ok: { type: 'boolean' } } };
}
