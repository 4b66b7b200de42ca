import { closest } from './closest.js';

/**
 * The wording for a key a schema does not know, shared by config and entity validation: the nearest
 * known key when it is a likely typo, else (when asked, and the list is short) every known key.
 */
export function unknownKeyHint(
  key: string,
  known: string[],
  options: { listKnown?: boolean } = {},
): string | undefined {
  const suggestion = closest(key, known);
  if (suggestion) return `did you mean "${suggestion}"?`;
  if (options.listKnown && known.length > 0 && known.length <= 12) return `known: ${known.join(', ')}`;
  return undefined;
}

/** An ajv instance path as a dotted key for messages: `/port/concurrency` → `port.concurrency`. */
export function dottedPath(instancePath: string): string {
  return instancePath.slice(1).replaceAll('/', '.');
}
