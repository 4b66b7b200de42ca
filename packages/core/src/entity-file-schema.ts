import {
  BLUEPRINT_IDENTIFIER_SCHEMA,
  ENTITY_IDENTIFIER_SCHEMA,
  PROPERTY_IDENTIFIER_PATTERN,
  RELATION_VALUE_SCHEMA,
  type JsonSchema,
} from '@port-gitops/port-schema';

/**
 * One entity as written in a file. Stricter than Port's route, which ignores unknown top-level keys:
 * in a file such a key is almost always a typo (`propertes`) whose data would silently be lost.
 */
export const ENTITY_FILE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['identifier'],
  additionalProperties: false,
  properties: {
    identifier: ENTITY_IDENTIFIER_SCHEMA,
    title: { type: 'string' },
    icon: { type: 'string' },
    blueprint: BLUEPRINT_IDENTIFIER_SCHEMA,
    team: { type: ['string', 'array'], items: { type: 'string' } },
    properties: { type: 'object', propertyNames: { pattern: PROPERTY_IDENTIFIER_PATTERN } },
    relations: {
      type: 'object',
      propertyNames: { pattern: PROPERTY_IDENTIFIER_PATTERN },
      additionalProperties: RELATION_VALUE_SCHEMA,
    },
  },
};
