export { type BlueprintPolicy, applyBlueprints, deleteBlueprints, refusedBlueprintChanges } from './blueprints.js';
export { push } from './push.js';
