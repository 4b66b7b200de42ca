export { discover } from './discover.js';
export { createEntityFileFilter } from './entity-file-filter.js';
