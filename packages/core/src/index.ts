/**
 * @port-gitops/core: the port-gitops run as a library. `check`, `plan` and `sync` each take resolved
 * options and return the report; progress and notes arrive as events. Port is reached only through a
 * `PortApi` the caller connects (`@port-gitops/port-client` has one). Types marked `@public` are
 * there for programs that embed the run.
 */
export { CONFIG_SCHEMA, /** @public */ type Config, loadConfig } from './config/index.js';
export { FatalError } from './errors.js';
export { /** @public */ type RepositoryInfo, describeRepository, repositoryId } from './git/index.js';
export type {
  /** @public */ Position,
  /** @public */ Problem,
  /** @public */ ProblemCode,
  SelectedFile,
  /** @public */ Selection,
} from './model.js';
export type { /** @public */ BlueprintChange, /** @public */ FieldChange } from './plan/index.js';
export type {
  /** @public */ EntityBody,
  /** @public */ LiveEntity,
  /** @public */ PortApi,
  /** @public */ PortConnector,
  PortTarget,
  /** @public */ SearchQuery,
  /** @public */ WriteOptions,
  /** @public */ WriteOutcome,
} from './port.js';
export {
  EXIT,
  /** @public */ type ExitCode,
  type Report,
  /** @public */ type ReportEntity,
  type ReportError,
  /** @public */ type ReportFile,
  exitCodeOf,
} from './report/index.js';
export { type EditorSchemaFile, editorSchema, vscodeSettingsWithSchemas } from './validate/index.js';
export type { Blueprint } from '@port-gitops/port-schema';
export { loadLocalBlueprints } from './read/index.js';
export {
  /** @public */ type CheckOptions,
  /** @public */ type PreparedRun,
  type RunEvent,
  type RunOptions,
  type SelectionRequest,
  /** @public */ type SyncOptions,
  check,
  explainMappings,
  plan,
  prepare,
  sync,
} from './run/index.js';
