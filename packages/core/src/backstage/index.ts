export { FIELD_PATH_PATTERN, parseFieldPath } from './field-path.js';
export { type BackstageConfig, DEFAULT_BACKSTAGE_FILES, DEFAULT_BACKSTAGE_KINDS } from './mapping.js';
export { parseEntityRef } from './refs.js';
export { substitute, substitutionsOf } from './substitutions.js';
export { type BackstageTranslator, createBackstageTranslator } from './translator.js';
