export { type CheckOptions, check } from './check.js';
export type { RunEvent, RunOptions, SelectionRequest } from './options.js';
export { plan } from './plan.js';
export { type PreparedRun, prepare } from './prepare.js';
export { type SyncOptions, sync } from './sync.js';
export { explainMappings } from './explain-mapping.js';
