export { loadLocalBlueprints } from './blueprints.js';
export { type EntityReader, type EntityReaderOptions, createEntityReader } from './entity-reader.js';
export { load, readForSearch } from './load.js';
export { type KnownTeams, loadTeams } from './teams.js';
export { createTargetReader } from './references.js';
export { identifierKey, isSearchQuery } from './identifier-query.js';
