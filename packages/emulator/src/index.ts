export { startEmulator, MAX_BODY_BYTES, type RunningEmulator, type Exchange } from './server.js';
export type { EmulatorOptions } from './options.js';
export { EntityStore, type StoredEntity } from './store.js';
export { ApiError, ERROR_IDS } from './api-error.js';
