export { type Discovery, discover, discoverInParts, entityPathspecs, fileType, nameFilter } from './discover.js';
export { type EntityFileMatcher, createEntityFileMatcher } from './entity-files.js';
