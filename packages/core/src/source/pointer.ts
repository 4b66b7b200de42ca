import type { Locator, Position } from '../model.js';

/** JSON pointers (RFC 6901) and where they point in a file. */

export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function encodePointer(segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * Where a problem found at `pointer` (into a file's entities) is: its line and column, and its pointer
 * in the file's own terms, which differ for a translated (Backstage) file.
 */
export function place(locator: Locator, pointer: string, options?: { key?: boolean }): Position & { pointer: string } {
  return { ...locator.locate(pointer, options), pointer: locator.inFile?.(pointer) ?? pointer };
}
