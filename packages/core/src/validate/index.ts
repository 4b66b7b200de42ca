export {
  OtherFiles,
  OtherFilesScan,
  checkRelationTargets,
  definedInOtherFiles,
  literalPattern,
  relationsToRemoved,
} from './relation-targets.js';
export { type ValidationResult, createValidator, reviseValidation, withProblems } from './validate.js';
export {
  type EditorSchemaFile,
  blueprintsDigest,
  digestRecordedIn,
  editorSchema,
  vscodeSettingsWithSchemas,
} from './editor-schema.js';
