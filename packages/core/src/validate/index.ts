export { OtherFiles, checkRelationTargets, definedInOtherFiles, relationsToRemoved } from './relation-targets.js';
export { type ValidationResult, createValidator, reviseValidation, withProblems } from './validate.js';
