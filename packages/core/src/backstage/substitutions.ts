import { encodePointer } from '../source/index.js';

/** A Backstage substitution: `{ $text: ./README.md }` (also `$json`, `$yaml`), anywhere in a document. */
export interface Substitution {
  /** Into the document. */
  pointer: string;
  kind: '$text' | '$json' | '$yaml';
  location: unknown;
}

const SUBSTITUTION_KINDS = new Set(['$text', '$json', '$yaml']);

/** Every substitution in a document, depth first. */
export function substitutionsOf(value: unknown, path: Array<string | number> = []): Substitution[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => substitutionsOf(item, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  if (keys.length === 1 && SUBSTITUTION_KINDS.has(keys[0]!)) {
    return [
      {
        pointer: encodePointer(path),
        kind: keys[0] as Substitution['kind'],
        location: (value as Record<string, unknown>)[keys[0]!],
      },
    ];
  }
  return keys.flatMap((key) => substitutionsOf((value as Record<string, unknown>)[key], [...path, key]));
}

/** A copy of the document with each substitution replaced by its value (pointer → value). */
export function substitute(document: unknown, values: Map<string, unknown>, path = ''): unknown {
  if (values.has(path)) return values.get(path);
  if (Array.isArray(document)) return document.map((item, i) => substitute(item, values, `${path}/${i}`));
  if (typeof document !== 'object' || document === null) return document;
  return Object.fromEntries(
    Object.entries(document).map(([key, value]) => [key, substitute(value, values, path + encodePointer([key]))]),
  );
}
