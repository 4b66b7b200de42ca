export { type ParsedSource, parseJsonSource, parseYamlSource } from './parse.js';
export { decodePointer, encodePointer, place } from './pointer.js';
export { alteredNumber, numberAsWritten } from './numbers.js';
