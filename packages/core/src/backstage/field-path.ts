import { encodePointer } from '../source/index.js';

/** Field paths into a Backstage document: `spec.owner`, `metadata.links[].url`, `metadata.annotations["a/b"]`. */

export type PathSegment = { key: string } | { each: true };

const KEY = '[A-Za-z0-9_@$-]+';
/** The syntax of a field path, for the config schema. */
export const FIELD_PATH_PATTERN = String.raw`^${KEY}(?:\.${KEY}|\[\]|\["(?:[^"\\]|\\.)*"\])*$`;
const FIRST_KEY = new RegExp(`^${KEY}`);
const NEXT_SEGMENT = new RegExp(String.raw`^(?:\.(${KEY})|\[\]|\["((?:[^"\\]|\\.)*)"\])`);

/**
 * A field path: keys joined by dots, `["key"]` for a key holding dots or slashes (annotations),
 * and `[]` for each item of a list (`metadata.links[].url`). Undefined when it does not parse.
 */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const first = FIRST_KEY.exec(path);
  if (!first) return undefined;
  const segments: PathSegment[] = [{ key: first[0] }];
  for (let rest = path.slice(first[0].length); rest.length > 0; ) {
    const match = NEXT_SEGMENT.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push({ key: match[1] });
    else if (match[2] !== undefined) segments.push({ key: JSON.parse(`"${match[2]}"`) as string });
    else segments.push({ each: true });
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** A field path parsed once per run. */
export interface FieldPath {
  segments: PathSegment[];
  /** Where its value is in a document, up to the first `[]`: also where to point when it is absent. */
  pointer: string;
  /** Whether it has a `[]`. */
  projects: boolean;
}

export function compilePath(path: string): FieldPath {
  // The config schema checked the syntax.
  const segments = parseFieldPath(path)!;
  const each = segments.findIndex((segment) => 'each' in segment);
  const keys = (each === -1 ? segments : segments.slice(0, each)) as Array<{ key: string }>;
  return { segments, pointer: encodePointer(keys.map((segment) => segment.key)), projects: each !== -1 };
}

export interface Found {
  value: unknown;
  pointer: string;
  /** For a path with `[]`: the pointer of each item of `value`. */
  items?: string[];
}

/** The value at a field path, with its pointer; undefined when absent. */
export function evaluate(document: unknown, path: FieldPath): Found | undefined {
  if (path.projects) return project(document, path.segments, []);
  let value = document;
  for (const segment of path.segments as Array<{ key: string }>) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment.key))
      return undefined;
    value = (value as Record<string, unknown>)[segment.key];
  }
  return value === undefined ? undefined : { value, pointer: path.pointer };
}

/** `evaluate` for a path with `[]`: the list of what each item holds, with the items' pointers. */
function project(document: unknown, segments: PathSegment[], from: Array<string | number>): Found | undefined {
  let value = document;
  const at = [...from];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ('each' in segment) {
      if (!Array.isArray(value)) return undefined;
      const values: unknown[] = [];
      const items: string[] = [];
      value.forEach((item, index) => {
        const found = project(item, segments.slice(i + 1), [...at, index]);
        if (found) {
          values.push(found.value);
          items.push(found.pointer);
        }
      });
      return { value: values, pointer: encodePointer(at), items };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment.key))
      return undefined;
    value = (value as Record<string, unknown>)[segment.key];
    at.push(segment.key);
  }
  return value === undefined ? undefined : { value, pointer: encodePointer(at) };
}
