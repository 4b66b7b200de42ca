import { type JsonSchema, PORT_ROUTES, type SchemaError, sharedPortAjv } from '@port-gitops/port-schema';
import { ApiError } from './api-error.js';

/** `POST /v1/entities/search` takes a bare query (port-gitops does not use the route; the emulator serves it). */
const GLOBAL_SEARCH_BODY: JsonSchema = {
  type: 'object',
  required: ['combinator', 'rules'],
  additionalProperties: false,
  properties: { combinator: { enum: ['and', 'or'] }, rules: { type: 'array' } },
};

const BULK_DELETE_BODY: JsonSchema = {
  type: 'object',
  required: ['entities'],
  additionalProperties: false,
  properties: { entities: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string' } } },
};

const OWN_BODIES: Record<string, JsonSchema> = {
  'POST /v1/entities/search': GLOBAL_SEARCH_BODY,
  'POST /v1/blueprints/{blueprint_identifier}/bulk/entities/delete': BULK_DELETE_BODY,
};

/**
 * Checks a request body against its route's schema, as Port's route validation does before anything
 * else: the project's description of the route (routes.ts, checked against Port's spec), so a body Port
 * refuses as a whole is refused here as a whole. The single-entity route answers 400, the others 422
 * (docs/port-fidelity.md).
 */
export function bodyChecker(method: string, pattern: string): ((body: unknown) => void) | undefined {
  const key = `${method} ${pattern}`;
  const schema = OWN_BODIES[key] ?? PORT_ROUTES.find((r) => r.method === method && r.path === pattern)?.body;
  if (!schema) return undefined;
  // Compiled when the route is made (once per process: ajv keeps it by the schema object), not on the
  // route's first request, which would pay for it inside whatever a caller times.
  const validate = sharedPortAjv().compile(schema);
  const decision =
    key === 'POST /v1/blueprints/{blueprint_identifier}/entities' ? 'entity-route-schema' : 'route-schema';
  return (body) => {
    if (!validate(body))
      throw new ApiError(decision, `the body does not match the route's schema: ${describe(validate.errors ?? [])}`);
  };
}

function describe(errors: SchemaError[]): string {
  return errors
    .slice(0, 3)
    .map((error) => {
      const where = `body${error.instancePath.replaceAll('/', '.')}`;
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      return `${where} ${error.message ?? 'is invalid'}${extra ? ` ("${extra}")` : ''}`;
    })
    .join('; ');
}
