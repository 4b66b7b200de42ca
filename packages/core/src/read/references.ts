import { realpathSync } from 'node:fs';
import { posix } from 'node:path';
import type { Blueprint } from '@port-gitops/port-schema';
import type { Locator } from '../model.js';
import { alteredNumber, encodePointer, parseJsonSource, parseYamlSource } from '../source/index.js';
import { readRepositoryFile } from '../files.js';

/**
 * Files an entity pulls in: `file://` property values and Backstage `$text`/`$json`/`$yaml`
 * substitutions. Where they point (inside the repository only), reading them (at most 1 MiB, once
 * per run however many entities use them), and parsing them as data.
 */

export const FILE_REFERENCE = 'file://';
/** A `file://` target is inlined into a request body, which Port caps at 1 MiB. */
const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

/**
 * The repository-relative target of a `file://` reference (docs/port-fidelity.md): `a/b.md` is relative to
 * the repository root, `./b.md` and `../b.md` to the entity file's folder. Undefined when it would
 * leave the repository.
 */
export function resolveReferencePath(file: string, reference: string): string | undefined {
  const relativeToFile = reference.startsWith('./') || reference.startsWith('../');
  const joined = relativeToFile ? posix.join(posix.dirname(file), reference) : reference.replace(/^\/+/, '');
  const normalized = posix.normalize(joined);
  if (normalized === '..' || normalized.startsWith('../') || normalized === '.' || normalized === '') return undefined;
  return normalized;
}

/**
 * The repository path a Backstage substitution reads, resolved as Backstage resolves a location
 * against the descriptor's own: relative to the file's folder (with or without `./`), or to the
 * repository root with a leading `/`. Undefined for a URL, which is never fetched, and for a path
 * that leaves the repository.
 */
export function substitutionTarget(file: string, location: string): string | undefined {
  if (isUrl(location)) return undefined;
  return resolveReferencePath(file, location.startsWith('/') ? location : `./${location}`);
}

/** `https://…`, `file:…`: a location with a scheme. */
export function isUrl(location: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(location);
}

type TargetRead = { ok: true; text: string } | { ok: false; message: string };

/** Reads referenced files for one run; each target once, however many entities use it. */
export interface TargetReader {
  read(target: string): TargetRead;
}

/** Synchronous, as `readRepositoryFile` says why. */
export function createTargetReader(root: string): TargetReader {
  const repository = { root, realRoot: realpathSync.native(root) };
  const cache = new Map<string, TargetRead>();
  return {
    read(target) {
      let read = cache.get(target);
      if (!read) {
        read = readTargetFile(target, repository);
        cache.set(target, read);
      }
      return read;
    },
  };
}

function readTargetFile(target: string, repository: { root: string; realRoot: string }): TargetRead {
  const read = readRepositoryFile(repository, target, { limit: MAX_REFERENCED_FILE_BYTES, noLink: false });
  if (read.ok) return read;
  switch (read.kind) {
    case 'missing':
      return { ok: false, message: `the file ${target} does not exist` };
    case 'too-large':
      return {
        ok: false,
        message: `${target} ${read.reason}; referenced files are limited to ${MAX_REFERENCED_FILE_BYTES}`,
      };
    default:
      return { ok: false, message: `${target} ${read.reason}` };
  }
}

/**
 * Replaces `file://` property values with the target's text (docs/port-fidelity.md): `file://a/b.md` is
 * relative to the repository root, `file://./b.md` and `file://../b.md` to the entity file's folder.
 * The target must stay inside the repository, symlinks included, and be at most 1 MiB. A `.json` or
 * `.yaml` target is parsed when the blueprint declares the property an object or array.
 */
export function resolveFileReferences(
  file: string,
  data: Record<string, unknown>,
  blueprint: Blueprint | undefined,
  targets: TargetReader,
) {
  const problems: Array<{ suffix: string; message: string }> = [];
  const dependencies: string[] = [];
  const properties = data.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
    return { data, dependencies, problems };

  let resolvedProperties: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value !== 'string' || !value.startsWith(FILE_REFERENCE)) continue;
    const suffix = encodePointer(['properties', key]);
    const reference = value.slice(FILE_REFERENCE.length);
    const target = resolveReferencePath(file, reference);
    if (!target) {
      problems.push({ suffix, message: `"${value}" points outside the repository` });
      continue;
    }
    dependencies.push(target);
    const read = targets.read(target);
    if (!read.ok) {
      problems.push({ suffix, message: `"${value}": ${read.message}` });
      continue;
    }
    const type = blueprint?.schema?.properties?.[key]?.type;
    let resolved: unknown = read.text;
    if ((type === 'object' || type === 'array') && /\.(json|ya?ml)$/i.test(target)) {
      const parsed = parseTarget(read.text, /\.json$/i.test(target) ? 'JSON' : 'YAML');
      if (!parsed.ok) {
        problems.push({ suffix, message: `"${value}": the target is ${parsed.message}` });
        continue;
      }
      resolved = parsed.value;
    }
    resolvedProperties ??= { ...(properties as Record<string, unknown>) };
    resolvedProperties[key] = resolved;
  }
  return { data: resolvedProperties ? { ...data, properties: resolvedProperties } : data, dependencies, problems };
}

/**
 * A referenced file's text as data (`file://` to an object property, `$json`, `$yaml`), read by the rules
 * an entity file is read by (source/parse.ts): strict JSON without repeated keys, YAML 1.2's core schema
 * without tags, one YAML document, and numbers that go out as written. Why not, with the line and column.
 */
export function parseTarget(
  text: string,
  format: 'JSON' | 'YAML',
): { ok: true; value: unknown } | { ok: false; message: string } {
  const content = text.replace(/^\uFEFF/, '');
  const source = format === 'JSON' ? parseJsonSource(content) : parseYamlSource(content);
  const [error] = source.errors;
  if (error) return { ok: false, message: `not valid ${format}: ${error.message} at ${error.line}:${error.column}` };
  if (source.documents.length > 1) {
    return { ok: false, message: `${source.documents.length} YAML documents, where one value is read` };
  }
  const value = source.documents[0] ?? null;
  const altered = firstAlteredNumber(value, source.locator);
  if (altered) {
    const at = source.locator.locate(altered.pointer);
    return {
      ok: false,
      message: `a ${format} file whose number ${altered.written} at ${at.line}:${at.column} cannot be sent as written (it would become ${altered.becomes})`,
    };
  }
  return { ok: true, value };
}

/** The first number of a referenced file's data that would not go out as written, if any. */
function firstAlteredNumber(
  value: unknown,
  locator: Locator,
): { pointer: string; written: string; becomes: string } | undefined {
  const stack: Array<{ value: unknown; pointer: string }> = [{ value, pointer: '' }];
  while (stack.length > 0) {
    const { value: node, pointer } = stack.pop()!;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) return { pointer, written: locator.raw?.(pointer) ?? String(node), becomes: 'null' };
      const altered = alteredNumber(node, locator, () => pointer);
      if (altered) return { pointer, written: altered.written ?? String(node), becomes: JSON.stringify(node) };
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        stack.push({ value: child, pointer: pointer + encodePointer([Array.isArray(node) ? Number(key) : key]) });
      }
    }
  }
  return undefined;
}
