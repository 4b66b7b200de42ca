export { push } from './push.js';
