export { type BlueprintPolicy, applyBlueprints, refusedBlueprintChanges } from './blueprints.js';
export { push } from './push.js';
