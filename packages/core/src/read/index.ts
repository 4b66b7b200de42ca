export { loadLocalBlueprints } from './blueprints.js';
export { type EntityReader, type EntityReaderOptions, createEntityReader } from './entity-reader.js';
export { type LoadOptions, load } from './load.js';
