export { type AppConfig, type FileResource, filtersOf, parseAppConfig } from './app-config.js';
export { loadJqEngine } from './jq.js';
export { type FieldTrace, type MappedFile, type MappingContext, includedPaths, mapFiles } from './map.js';
export type { FieldResult } from './jq.js';
export { type Provider, type RepositoryFacts, contentOf, contentReferences, rawItem } from './providers.js';
