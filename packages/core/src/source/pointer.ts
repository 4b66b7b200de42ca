import type { Locator, Position } from '../model.js';

/** JSON pointers (RFC 6901) and where they point in a file. */

export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  const parts = pointer.slice(1).split('/');
  // Escapes are rare: most pointers are decoded by the split alone.
  if (!pointer.includes('~')) return parts;
  return parts.map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function encodePointer(segments: Array<string | number>): string {
  let pointer = '';
  for (const segment of segments) {
    const text = String(segment);
    pointer += `/${text.includes('~') || text.includes('/') ? text.replaceAll('~', '~0').replaceAll('/', '~1') : text}`;
  }
  return pointer;
}

/**
 * Where a problem found at `pointer` (into a file's entities) is: its line and column, and its pointer
 * in the file's own terms, which differ for a translated (Backstage) file.
 */
export function place(locator: Locator, pointer: string, options?: { key?: boolean }): Position & { pointer: string } {
  const { line, column } = locator.locate(pointer, options);
  return { line, column, pointer: locator.inFile?.(pointer) ?? pointer };
}
