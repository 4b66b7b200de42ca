export { CONFIG_FILE_NAMES, DEFAULT_INCLUDE } from './defaults.js';
export { loadConfig } from './load.js';
export { CONFIG_SCHEMA } from './schema.js';
export type { Config, Rule } from './types.js';
