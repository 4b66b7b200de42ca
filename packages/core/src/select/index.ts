export { type EntityChanges, type RemovedEntity, baseBlobsOf, diffEntities } from './entity-diff.js';
export { diffRange, selectAll, selectChanged } from './select.js';
export { selectNamed } from './named.js';
