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

/** A whole entity file, for editors: one entity or a list (a YAML file may also hold several documents). */
export const ENTITY_FILE_DOCUMENT_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'port-gitops entity file',
  description: 'One Port entity, or a list of them. Blueprint-specific rules are checked by `port-gitops check`.',
  definitions: { entity: ENTITY_FILE_SCHEMA },
  anyOf: [{ $ref: '#/definitions/entity' }, { type: 'array', items: { $ref: '#/definitions/entity' } }],
};
