export { ENTITY_FILE_DOCUMENT_SCHEMA } from './entity-file-schema.js';
export { checkRelationTargets, definedInOtherFiles } from './relation-targets.js';
export { type ValidationResult, createValidator, reviseValidation, withProblems } from './validate.js';
