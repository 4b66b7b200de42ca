/**
 * @port-gitops/core: the port-gitops run as a library. `check`, `plan` and `sync` each take resolved
 * options and return the report; progress and notes arrive as events. Port is reached only through a
 * `PortApi` the caller connects (see `@port-gitops/port-client`).
 */
export { type Config, CONFIG_FILE_NAMES, CONFIG_SCHEMA, DEFAULT_INCLUDE, loadConfig } from './config/index.js';
export { FatalError } from './errors.js';
export { type RepositoryInfo, describeRepository, repositoryId } from './git/index.js';
export type { Position, Problem, ProblemCode, SelectedFile, Selection } from './model.js';
export type { FieldChange } from './plan/index.js';
export type {
  EntityBody,
  LiveEntity,
  PortApi,
  PortConnector,
  PortTarget,
  SearchQuery,
  WriteOptions,
  WriteOutcome,
} from './port.js';
export { EXIT, type ExitCode, type Report, type ReportEntity, type ReportError, exitCodeOf } from './report/index.js';
export {
  type CheckOptions,
  type PreparedRun,
  type RunEvent,
  type RunOptions,
  type SelectionRequest,
  type SyncOptions,
  check,
  plan,
  prepare,
  sync,
} from './run/index.js';
export { ENTITY_FILE_DOCUMENT_SCHEMA } from './validate/index.js';
