export { type Discovery, discover, discoverInParts, fileType } from './discover.js';
export { type EntityFileMatcher, createEntityFileMatcher } from './entity-files.js';
