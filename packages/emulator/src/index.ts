export { EmulatorSetupError } from './api-error.js';
export { DECISIONS } from './decisions.js';
export { BLUEPRINT_CHANGE_CHOICES, type BlueprintChangeDecisions, type EmulatorOptions } from './options.js';
export { type Exchange, type RunningEmulator, startEmulator } from './server.js';
