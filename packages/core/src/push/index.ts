export {
  type BlueprintPolicy,
  applyBlueprints,
  contractBlueprints,
  deleteBlueprints,
  refusedBlueprintChanges,
} from './blueprints.js';
export { push } from './push.js';
