export type { FieldChange, LiveChange } from './compare.js';
export { readLive } from './live.js';
export {
  type DeleteOperation,
  type LiveEntities,
  type Operation,
  type Provenance,
  type PushResult,
  type UpsertOperation,
  compareOperations,
  planDeletes,
  planUpserts,
  withoutPushing,
} from './operations.js';
export { type PruneOptions, planPrune } from './prune.js';
