export type { FieldChange } from './compare.js';
export { readLive } from './live.js';
export {
  type DeleteOperation,
  type Operation,
  type PushResult,
  type UpsertOperation,
  compareOperations,
  planDeletes,
  planUpserts,
  withoutPushing,
} from './operations.js';
export { writtenByNewer } from './newer.js';
export { planPrune } from './prune.js';
export { type BlueprintChange, diffBlueprint, RECREATION_COPY } from './blueprint-diff.js';
export { type ManagedBlueprint, planBlueprints } from './blueprints.js';
