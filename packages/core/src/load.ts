import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import type { Blueprint } from '@port-gitops/port-schema';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { Rule } from './config.js';
import type { LoadedEntity, LoadedFile, Locator, Problem, ProblemCode, Selection } from './model.js';
import { encodePointer, parseJsonSource, parseYamlSource } from './source.js';

export interface LoadOptions {
  root: string;
  /** Config rules: the blueprint of entities that do not name one, by file glob. */
  rules: Rule[];
  /** `--blueprint`: the last resort. */
  defaultBlueprint?: string;
  /** Known blueprint definitions: a `file://` target is parsed when its property is an object or array. */
  blueprints: ReadonlyMap<string, Blueprint>;
}

/** Entity files larger than this are refused rather than read into memory. */
export const MAX_ENTITY_FILE_BYTES = 8 * 1024 * 1024;
/** A `file://` target is inlined into a request body, which Port caps at 1 MiB. */
export const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;
const FILE_REFERENCE = 'file://';

/** Reads and parses the selected files (deleted ones excepted), each into its entities. */
export async function load(selection: Selection, options: LoadOptions): Promise<LoadedFile[]> {
  const context = await createContext(options);
  const paths = selection.files.filter((file) => file.status !== 'deleted').map((file) => file.path);
  // One file after the other: reading is synchronous (see readSmallFile) and parsing is CPU-bound,
  // so concurrency would only add promise overhead.
  const files: LoadedFile[] = [];
  for (const path of paths) files.push(await loadEntityFile(path, context));
  return files;
}

/**
 * The text of a file, or its size when it is larger than `limit` (then it is not read). Synchronous
 * on purpose: for thousands of small files, fs/promises costs several times the reading itself
 * (measured: about 2.4 s of 10 s for 10,000 files), and nothing else runs while entity files load.
 */
function readSmallFile(path: string, limit: number): string | number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return size;
    const buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const n = readSync(fd, buffer, offset, size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return buffer.toString('utf8', 0, offset);
  } finally {
    closeSync(fd);
  }
}

interface LoadContext extends LoadOptions {
  realRoot: string;
  blueprintOf: (path: string, entity: Record<string, unknown>) => string | undefined;
  /** `file://` targets read once per run, however many entities use them. */
  targets: Map<string, Promise<TargetRead>>;
}

type TargetRead = { ok: true; text: string } | { ok: false; message: string };

async function createContext(options: LoadOptions): Promise<LoadContext> {
  return {
    ...options,
    realRoot: await realpath(options.root),
    blueprintOf: createBlueprintResolver(options.rules, options.defaultBlueprint),
    targets: new Map(),
  };
}

/** The blueprint of an entity: its own field, else the first rule matching its file, else the default. */
export function createBlueprintResolver(rules: Rule[], defaultBlueprint?: string): (path: string, entity: Record<string, unknown>) => string | undefined {
  const matchers = rules.map((rule) => ({ test: picomatch(rule.files, { dot: true, flags: 's' }), blueprint: rule.blueprint }));
  return (path, entity) =>
    typeof entity.blueprint === 'string' ? entity.blueprint : (matchers.find((matcher) => matcher.test(path))?.blueprint ?? defaultBlueprint);
}

export async function loadEntityFile(path: string, context: LoadContext): Promise<LoadedFile> {
  const format = /\.json$/i.test(path) ? 'json' : 'yaml';
  const problems: Problem[] = [];
  const nowhere: Locator = { locate: () => ({ line: 1, column: 1 }) };
  const fail = (code: ProblemCode, message: string): LoadedFile => ({
    path,
    format,
    entities: [],
    problems: [{ file: path, line: 1, column: 1, pointer: '', code, severity: 'error', message }],
    locator: nowhere,
  });

  let text: string;
  try {
    const read = readSmallFile(join(context.root, path), MAX_ENTITY_FILE_BYTES);
    if (typeof read === 'number') return fail('read', `the file is ${read} bytes; entity files are limited to ${MAX_ENTITY_FILE_BYTES}`);
    text = read;
  } catch (error) {
    return fail('read', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const source = format === 'json' ? parseJsonSource(text) : parseYamlSource(text);
  for (const error of source.errors) {
    problems.push({ file: path, line: error.line, column: error.column, pointer: '', code: 'parse', severity: 'error', message: error.message });
  }
  if (source.errors.length > 0) return { path, format, entities: [], problems, locator: source.locator };

  const candidates = splitEntities(source.documents);
  if (candidates.length === 0) problems.push({ file: path, line: 1, column: 1, pointer: '', code: 'shape', severity: 'error', message: 'the file holds no entity' });

  const entities: LoadedEntity[] = [];
  for (const { pointer, value } of candidates) {
    const at = (suffix: string, code: ProblemCode, message: string, hint?: string) => {
      const position = source.locator.locate(pointer + suffix);
      problems.push({ file: path, ...position, pointer: pointer + suffix, code, severity: 'error', message, ...(hint ? { hint } : {}) });
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      at('', 'shape', `expected an entity object, found ${describeType(value)}`);
      continue;
    }
    const data = value as Record<string, unknown>;
    const identifier = typeof data.identifier === 'string' ? data.identifier : undefined;
    const blueprint = context.blueprintOf(path, data);
    if (blueprint === undefined && data.blueprint === undefined) {
      at('', 'blueprint', `no blueprint for entity ${identifier ? `"${identifier}"` : 'without identifier'}`, 'add a "blueprint" field, a config rule whose "files" matches this file, or pass --blueprint');
    }
    const resolved = await resolveFileReferences(path, data, blueprint ? context.blueprints.get(blueprint) : undefined, context);
    for (const problem of resolved.problems) at(problem.suffix, 'file-reference', problem.message);
    entities.push({ file: path, pointer, blueprint, identifier, data: resolved.data, written: data, dependencies: resolved.dependencies });
  }
  return { path, format, entities, problems, locator: source.locator };
}

/** The entities a file's text holds, as written (no positions, no `file://` resolution); [] when it does not parse. */
export function parseEntities(path: string, text: string): Array<Record<string, unknown>> {
  const source = /\.json$/i.test(path) ? parseJsonSource(text.replace(/^\uFEFF/, '')) : parseYamlSource(text.replace(/^\uFEFF/, ''));
  if (source.errors.length > 0) return [];
  return splitEntities(source.documents)
    .map((candidate) => candidate.value)
    .filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value));
}

/** The repository-relative targets of the `file://` property values of these entities. */
export function fileReferencesOf(path: string, entities: Array<Record<string, unknown>>): string[] {
  const targets: string[] = [];
  for (const entity of entities) {
    const properties = entity.properties;
    if (typeof properties !== 'object' || properties === null) continue;
    for (const value of Object.values(properties)) {
      if (typeof value !== 'string' || !value.startsWith(FILE_REFERENCE)) continue;
      const target = resolveReferencePath(path, value.slice(FILE_REFERENCE.length));
      if (target) targets.push(target);
    }
  }
  return targets;
}

/** A file holds one entity, a list of them, or (YAML) several documents, each an entity or a list. */
function splitEntities(documents: unknown[]): Array<{ pointer: string; value: unknown }> {
  const multi = documents.length > 1;
  return documents.flatMap((document, d) => {
    const prefix = multi ? [d] : [];
    if (Array.isArray(document)) return document.map((value, i) => ({ pointer: encodePointer([...prefix, i]), value }));
    if (document === null || document === undefined) return [];
    return [{ pointer: encodePointer(prefix), value: document }];
  });
}

/**
 * Replaces `file://` property values with the target's text (port-api.md §7): `file://a/b.md` is
 * relative to the repository root, `file://./b.md` and `file://../b.md` to the entity file's folder.
 * The target must stay inside the repository, symlinks included, and be at most 1 MiB. A `.json` or
 * `.yaml` target is parsed when the blueprint declares the property an object or array.
 */
async function resolveFileReferences(file: string, data: Record<string, unknown>, blueprint: Blueprint | undefined, context: LoadContext) {
  const problems: Array<{ suffix: string; message: string }> = [];
  const dependencies: string[] = [];
  const properties = data.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return { data, dependencies, problems };

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
    const read = await readTarget(target, context);
    if (!read.ok) {
      problems.push({ suffix, message: `"${value}": ${read.message}` });
      continue;
    }
    const type = blueprint?.schema?.properties?.[key]?.type;
    let resolved: unknown = read.text;
    if ((type === 'object' || type === 'array') && /\.(json|ya?ml)$/i.test(target)) {
      try {
        resolved = /\.json$/i.test(target) ? JSON.parse(read.text) : parseYaml(read.text);
      } catch (error) {
        problems.push({ suffix, message: `"${value}": the target is not valid ${/\.json$/i.test(target) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}` });
        continue;
      }
    }
    resolvedProperties ??= { ...(properties as Record<string, unknown>) };
    resolvedProperties[key] = resolved;
  }
  return { data: resolvedProperties ? { ...data, properties: resolvedProperties } : data, dependencies, problems };
}

/** The repository-relative target of a reference, or undefined when it would leave the repository. */
export function resolveReferencePath(file: string, reference: string): string | undefined {
  const relativeToFile = reference.startsWith('./') || reference.startsWith('../');
  const joined = relativeToFile ? posix.join(posix.dirname(file), reference) : reference.replace(/^\/+/, '');
  const normalized = posix.normalize(joined);
  if (normalized === '..' || normalized.startsWith('../') || normalized === '.' || normalized === '') return undefined;
  return normalized;
}

function readTarget(target: string, context: LoadContext): Promise<TargetRead> {
  let read = context.targets.get(target);
  if (!read) {
    read = (async (): Promise<TargetRead> => {
      const absolute = join(context.root, target);
      let real: string;
      try {
        real = await realpath(absolute);
      } catch {
        return { ok: false, message: `the file ${target} does not exist` };
      }
      if (real !== context.realRoot && !real.startsWith(context.realRoot + sep)) {
        return { ok: false, message: `${target} is a link that leads outside the repository` };
      }
      const info = await stat(real);
      if (!info.isFile()) return { ok: false, message: `${target} is not a file` };
      if (info.size > MAX_REFERENCED_FILE_BYTES) {
        return { ok: false, message: `${target} is ${info.size} bytes; referenced files are limited to ${MAX_REFERENCED_FILE_BYTES}` };
      }
      return { ok: true, text: await readFile(real, 'utf8') };
    })();
    context.targets.set(target, read);
  }
  return read;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}` : `a ${typeof value}`;
}
