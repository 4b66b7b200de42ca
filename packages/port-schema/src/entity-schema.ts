import {
  BLUEPRINT_IDENTIFIER_MAX_LENGTH,
  BLUEPRINT_IDENTIFIER_PATTERN,
  ENTITY_IDENTIFIER_MAX_LENGTH,
  ENTITY_IDENTIFIER_PATTERN,
  PROPERTY_IDENTIFIER_PATTERN,
} from './identifiers.js';

export type JsonSchema = Record<string, unknown>;

/** A search query used in place of an identifier, team or relation value (docs/port-fidelity.md). */
export const SEARCH_QUERY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['combinator', 'rules'],
  properties: { combinator: { enum: ['and', 'or'] }, rules: { type: 'array' } },
};

export const ENTITY_IDENTIFIER_SCHEMA: JsonSchema = {
  type: 'string',
  pattern: ENTITY_IDENTIFIER_PATTERN,
  maxLength: ENTITY_IDENTIFIER_MAX_LENGTH,
};

export const BLUEPRINT_IDENTIFIER_SCHEMA: JsonSchema = {
  type: 'string',
  pattern: BLUEPRINT_IDENTIFIER_PATTERN,
  maxLength: BLUEPRINT_IDENTIFIER_MAX_LENGTH,
};

/** One relation value: an identifier, a list of identifiers, null (clears it) or a search query. */
export const RELATION_VALUE_SCHEMA: JsonSchema = {
  type: ['string', 'array', 'null', 'object'],
  pattern: ENTITY_IDENTIFIER_PATTERN,
  maxLength: ENTITY_IDENTIFIER_MAX_LENGTH,
  items: ENTITY_IDENTIFIER_SCHEMA,
  required: ['combinator', 'rules'],
};

/**
 * The entity body that Port's upsert routes accept (docs/port-fidelity.md).
 * Extra top-level keys are allowed, as in Port's spec; the CLI's file schema is stricter.
 */
export const ENTITY_BODY_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    identifier: { anyOf: [ENTITY_IDENTIFIER_SCHEMA, SEARCH_QUERY_SCHEMA] },
    title: { type: 'string' },
    icon: { type: 'string' },
    blueprint: BLUEPRINT_IDENTIFIER_SCHEMA,
    team: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, SEARCH_QUERY_SCHEMA],
    },
    properties: { type: 'object', propertyNames: { pattern: PROPERTY_IDENTIFIER_PATTERN } },
    relations: {
      type: 'object',
      propertyNames: { pattern: PROPERTY_IDENTIFIER_PATTERN },
      additionalProperties: RELATION_VALUE_SCHEMA,
    },
  },
  additionalProperties: true,
};
