export { type Blueprint, computedPropertyKinds, inheritsTeam } from './blueprint.js';
export { compileBlueprintSchema } from './blueprint-schema.js';
export {
  BLUEPRINT_IDENTIFIER_SCHEMA,
  ENTITY_IDENTIFIER_SCHEMA,
  type JsonSchema,
  RELATION_VALUE_SCHEMA,
} from './entity-schema.js';
export {
  BLUEPRINT_IDENTIFIER_PATTERN,
  PROPERTY_IDENTIFIER_PATTERN,
  isBlueprintIdentifier,
  isEntityIdentifier,
} from './identifiers.js';
export { MAX_BODY_BYTES, MAX_BULK_ENTITIES } from './limits.js';
export { type LinearRegExp, hasPattern, loadLinearRegExp } from './linear-regexp.js';
export { MAX_SEARCH_PAGE, PORT_ROUTES, type RouteDescription } from './routes.js';
export { unverifiedRule } from './unverified.js';
export { EntityValidator, type SchemaError, sharedPortAjv } from './validator.js';
