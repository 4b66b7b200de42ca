export { FIELD_PATH_PATTERN, parseFieldPath } from './field-path.js';
export {
  type BackstageConfig,
  type BackstageKindMapping,
  type BackstageRelationMapping,
  DEFAULT_BACKSTAGE_FILES,
  DEFAULT_BACKSTAGE_KINDS,
} from './mapping.js';
export { type EntityRef, parseEntityRef } from './refs.js';
export { type Substitution, substitute, substitutionsOf } from './substitutions.js';
export { type BackstageTranslator, type TranslatedDocument, createBackstageTranslator } from './translator.js';
