export { type Discovery, discover, discoverInParts, entityPathspecs, fileType, nameSuffixes } from './discover.js';
export { type EntityFileMatcher, createEntityFileMatcher } from './entity-files.js';
