export { type EntityWriter, push } from './push.js';
