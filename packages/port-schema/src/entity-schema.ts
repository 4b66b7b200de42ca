import {
  BLUEPRINT_IDENTIFIER_MAX_LENGTH,
  BLUEPRINT_IDENTIFIER_PATTERN,
  ENTITY_IDENTIFIER_MAX_LENGTH,
  ENTITY_IDENTIFIER_PATTERN,
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
