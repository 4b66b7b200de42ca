export { type Discovery, discover, fileType } from './discover.js';
export { type EntityFileMatcher, createEntityFileMatcher } from './entity-files.js';
