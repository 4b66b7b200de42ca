export { loadLocalBlueprints } from './blueprints.js';
export { type EntityReader, createEntityReader } from './entity-reader.js';
export { load } from './load.js';
