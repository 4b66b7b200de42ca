export {
  type ParsedSource,
  parseJsonSource,
  parseJsonWithPositions,
  parseYamlSource,
  parseYamlWithPositions,
} from './parse.js';
export { decodePointer, encodePointer, place } from './pointer.js';
