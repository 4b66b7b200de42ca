import type { Blueprint, BlueprintProperty, BlueprintRelation } from './blueprint.js';
import { computedPropertyKinds } from './blueprint.js';
import type { JsonSchema } from './entity-schema.js';
import { ENTITY_IDENTIFIER_SCHEMA, SEARCH_QUERY_SCHEMA } from './entity-schema.js';

/**
 * Compiles a blueprint into a JSON Schema for `{ properties, relations }` of one of its entities, as
 * Port checks an entity against its blueprint (docs/port-fidelity.md):
 * - each property's type, format, enum and bounds; `null` is always allowed (it clears the value);
 * - unknown property and relation keys are rejected;
 * - mirror, calculation and aggregation properties are computed by Port and may not be written
 *   (a `false` schema at that key: the validator can then say why);
 * - `schema.required` and required relations must be present.
 * Callers validate `{ properties: entity.properties ?? {}, relations: entity.relations ?? {} }`.
 */
export function compileBlueprintSchema(blueprint: Blueprint): JsonSchema {
  const propertySchemas: Record<string, JsonSchema | false> = {};
  for (const [key, property] of Object.entries(blueprint.schema?.properties ?? {})) {
    propertySchemas[key] = propertySchema(property);
  }
  for (const key of computedPropertyKinds(blueprint).keys()) propertySchemas[key] = false;

  const relationSchemas: Record<string, JsonSchema> = {};
  const requiredRelations: string[] = [];
  for (const [key, relation] of Object.entries(blueprint.relations ?? {})) {
    relationSchemas[key] = relationSchema(relation);
    if (relation.required) requiredRelations.push(key);
  }

  return {
    type: 'object',
    properties: {
      properties: {
        type: 'object',
        properties: propertySchemas,
        additionalProperties: false,
        required: [...(blueprint.schema?.required ?? [])],
      },
      relations: {
        type: 'object',
        properties: relationSchemas,
        additionalProperties: false,
        required: requiredRelations,
      },
    },
  };
}

function propertySchema(property: BlueprintProperty): JsonSchema {
  const schema: JsonSchema = { type: [property.type, 'null'] };
  if (property.format && property.type !== 'object') schema.format = property.format;
  if (property.enum) schema.enum = [...property.enum, null];
  for (const key of [
    'minLength',
    'maxLength',
    'pattern',
    'minimum',
    'maximum',
    'minItems',
    'maxItems',
    'uniqueItems',
  ] as const) {
    if (property[key] !== undefined) schema[key] = property[key];
  }
  if (property.type === 'array' && property.items) {
    const items: JsonSchema = {};
    if (property.items.type) items.type = property.items.type;
    if (property.items.format) items.format = property.items.format;
    if (property.items.enum) items.enum = property.items.enum;
    schema.items = items;
  }
  return schema;
}

function relationSchema(relation: BlueprintRelation): JsonSchema {
  // A relation value may always be a search query object (docs/port-fidelity.md); otherwise a single
  // relation holds one identifier and a many relation an array of them.
  const query = { required: SEARCH_QUERY_SCHEMA.required, properties: SEARCH_QUERY_SCHEMA.properties };
  return relation.many
    ? { type: ['array', 'null', 'object'], items: ENTITY_IDENTIFIER_SCHEMA, ...query }
    : {
        type: ['string', 'null', 'object'],
        pattern: ENTITY_IDENTIFIER_SCHEMA.pattern,
        maxLength: ENTITY_IDENTIFIER_SCHEMA.maxLength,
        ...query,
      };
}
