export type { EmulatorOptions } from './options.js';
export { type Exchange, type RunningEmulator, startEmulator } from './server.js';
