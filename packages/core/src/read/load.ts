import { realpathSync } from 'node:fs';
import type { Blueprint } from '@port-gitops/port-schema';
import { type BackstageTranslator, substitute, substitutionsOf } from '../backstage/index.js';
import type { LoadedEntity, LoadedFile, Locator, Problem, ProblemCode, Selection } from '../model.js';
import { type ParsedSource, encodePointer, parseJsonSource, parseYamlSource } from '../source/index.js';
import type { MappedFile } from '../mapping/index.js';
import { type EntityReader, splitEntities } from './entity-reader.js';
import { identifierKey, isSearchQuery } from './identifier-query.js';
import { readRepositoryFile } from '../files.js';
import {
  type TargetReader,
  createTargetReader,
  isUrl,
  parseTarget,
  resolveFileReferences,
  substitutionTarget,
} from './references.js';

export interface LoadOptions {
  root: string;
  /** What a file's text holds: entities, or Backstage documents to translate. */
  reader: EntityReader;
  /** Known blueprint definitions: a `file://` target is parsed when its property is an object or array. */
  blueprints: ReadonlyMap<string, Blueprint>;
}

/** Entity files larger than this are refused rather than read into memory. */
const MAX_ENTITY_FILE_BYTES = 8 * 1024 * 1024;

const realRoots = new Map<string, string>();

/**
 * The text of an entity file the run did not select, read only to search it (what it defines, what it
 * pulls in), with the rules every entity file is read by: '' when it cannot be read that way (a link, not
 * a regular file, not UTF-8). It is never checked or pushed.
 */
export function readForSearch(root: string, path: string): string {
  let realRoot = realRoots.get(root);
  if (realRoot === undefined) {
    realRoot = realpathSync.native(root);
    realRoots.set(root, realRoot);
  }
  const read = readRepositoryFile({ root, realRoot }, path, { limit: MAX_ENTITY_FILE_BYTES, noLink: true });
  return read.ok ? read.text.replace(/^\uFEFF/, '') : '';
}

/**
 * Reads and parses the selected files (deleted ones excepted), each into its entities. A file the
 * selection refused (a link, not a regular file, a named file that is no entity file) is loaded as a
 * problem, so that it is reported, counted invalid and never pushed.
 */
export function load(selection: Selection, options: LoadOptions): LoadedFile[] {
  const context: LoadContext = {
    ...options,
    repository: { root: options.root, realRoot: realpathSync.native(options.root) },
    targets: createTargetReader(options.root),
  };
  // One file after the other, synchronously: reading is (see readRepositoryFile) and parsing is
  // CPU-bound, so concurrency would only add promise overhead. Files a file-kind mapping matches are read
  // here and mapped together afterwards: one jq run per resource, not one per file.
  const toMap: Array<{ path: string; text: string }> = [];
  const loaded: LoadedFile[] = [];
  for (const file of selection.files) {
    if (file.status === 'deleted') continue;
    if (context.reader.resourcesOf(file.path).length === 0) {
      loaded.push(loadEntityFile(file.path, Boolean(file.noLeadingSymlink), context));
      continue;
    }
    const read = readEntityFile(file.path, Boolean(file.noLeadingSymlink), context);
    if (typeof read === 'string') toMap.push({ path: file.path, text: read });
    else loaded.push(read);
  }
  if (toMap.length > 0) {
    const mapped = context.reader.mapFiles(toMap);
    for (const { path, text } of toMap) loaded.push(mappedFile(path, text, mapped.get(path) ?? [], context));
  }
  for (const { path, reason } of selection.refused) loaded.push(refused(path, 'read', 'refused', `refused: ${reason}`));
  return loaded.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The entities a file-kind mapping made of a file: each at a pointer of its own (`/0`, `/1`, ...), whose
 * fields are placed where the file writes their value when the field's filter is a plain path into the
 * content (`.content.version`), and at the file's start otherwise; the mapping's problems likewise.
 */
function mappedFile(path: string, text: string, results: MappedFile[], context: LoadContext): LoadedFile {
  const format = formatOf(path);
  // The file is parsed for positions only when one is asked for: most mapped files have no problem.
  let parsed: ReturnType<typeof parseJsonSource> | undefined;
  const source = () => {
    parsed ??= format === 'json' ? parseJsonSource(text) : parseYamlSource(text);
    return parsed;
  };
  const content: Locator = {
    locate: (pointer, options) => (source().errors.length > 0 ? NOWHERE : source().locator).locate(pointer, options),
  };
  // GitLab reads a YAML file as a list of its documents: one document's content is its first item.
  const listOfDocuments = context.reader.mappingProvider === 'gitlab' && format === 'yaml';
  const inFile = (pointer: string) =>
    listOfDocuments && source().documents.length <= 1 ? pointer.replace(/^\/0(?=\/|$)/, '') : pointer;
  const entities: LoadedEntity[] = [];
  const sources: Array<Map<string, string>> = [];
  const origins: Array<Map<string, string>> = [];
  const problems: Problem[] = [];
  // A change to a file the mapping includes, or its content names (`file://`), is a change of every
  // entity made of this file.
  const dependencies = [...new Set([...context.reader.includesOf(path), ...results.flatMap((r) => r.references)])];
  for (const result of results) {
    for (const problem of result.problems) {
      const pointer = problem.contentPointer === undefined ? undefined : inFile(problem.contentPointer);
      problems.push({
        file: path,
        ...(pointer === undefined ? { line: 1, column: 1 } : content.locate(pointer)),
        pointer: pointer ?? '',
        code: 'mapping',
        severity: problem.severity,
        rule: problem.rule,
        message: problem.message,
        ...(problem.hint ? { hint: problem.hint } : {}),
      });
    }
    for (const entity of result.entities) {
      const data = entity.data;
      entities.push({
        file: path,
        pointer: `/${entities.length}`,
        blueprint: typeof data.blueprint === 'string' ? data.blueprint : undefined,
        identifier: identifierKey(data.identifier),
        ...(isSearchQuery(data.identifier) ? { identifierQuery: true as const } : {}),
        data,
        written: data,
        dependencies,
      });
      sources.push(entity.sources);
      origins.push(entity.origins);
    }
  }
  /** The field at `pointer` (`/k/properties/x`), or the nearest above it, in the maps of entity k. */
  const nearest = (maps: Array<Map<string, string>>, pointer: string): string | undefined => {
    const match = /^\/(\d+)(\/.*)?$/.exec(pointer);
    const fields = match ? maps[Number(match[1])] : undefined;
    if (!match || !fields) return undefined;
    for (let at = match[2] ?? ''; at !== ''; at = at.slice(0, at.lastIndexOf('/'))) {
      const found = fields.get(at);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const locator: Locator = {
    // The field itself, or the nearest field above it that has a place in the file.
    locate(pointer, options) {
      const found = nearest(sources, pointer);
      return found === undefined ? { line: 1, column: 1 } : content.locate(inFile(found), options);
    },
    origin: (pointer) => nearest(origins, pointer),
  };
  return { path, format, entities, problems, locator, mapped: true };
}

interface LoadContext extends LoadOptions {
  repository: { root: string; realRoot: string };
  targets: TargetReader;
}

const NOWHERE: Locator = { locate: () => ({ line: 1, column: 1 }) };

function formatOf(path: string): LoadedFile['format'] {
  return /\.json$/i.test(path) ? 'json' : 'yaml';
}

/** A file that yields no entity, with the one problem that says why. */
function refused(
  path: string,
  code: ProblemCode,
  rule: string,
  message: string,
  at = { line: 1, column: 1 },
): LoadedFile {
  return {
    path,
    format: formatOf(path),
    entities: [],
    problems: [{ file: path, ...at, pointer: '', code, severity: 'error', rule, message }],
    locator: NOWHERE,
  };
}

/** A file's text as an entity file is read (see readRepositoryFile), or the file refused with why. */
function readEntityFile(path: string, noLeadingSymlink: boolean, context: LoadContext): string | LoadedFile {
  const read = readRepositoryFile(context.repository, path, {
    limit: MAX_ENTITY_FILE_BYTES,
    noLink: true,
    noLeadingSymlink,
  });
  if (!read.ok) {
    if (read.kind === 'encoding') return refused(path, 'parse', 'encoding', `the file ${read.reason}`, read.at);
    const limit = read.kind === 'too-large' ? `; entity files are limited to ${MAX_ENTITY_FILE_BYTES}` : '';
    // git lists the name as bytes, which read as UTF-8 with U+FFFD in place of a byte that is not: the
    // file is there, but its name cannot be written back, in a report or to Port.
    if (read.kind === 'missing' && path.includes('\uFFFD')) {
      return {
        ...refused(
          path,
          'read',
          'refused',
          'the file name is not valid UTF-8 (shown with U+FFFD for the bytes that are not); rename it',
        ),
        unread: read.kind,
      };
    }
    return { ...refused(path, 'read', 'refused', `the file ${read.reason}${limit}`), unread: read.kind };
  }
  const text = read.text;
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function loadEntityFile(path: string, noLeadingSymlink: boolean, context: LoadContext): LoadedFile {
  const format = formatOf(path);
  const text = readEntityFile(path, noLeadingSymlink, context);
  if (typeof text !== 'string') return text;

  const source = format === 'json' ? parseJsonSource(text) : parseYamlSource(text);
  if (source.errors.length > 0) {
    const problems = source.errors.map(
      (error): Problem => ({
        file: path,
        line: error.line,
        column: error.column,
        pointer: '',
        code: 'parse',
        severity: 'error',
        rule: error.rule,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      }),
    );
    return { path, format, entities: [], problems, locator: source.locator };
  }
  const translate = context.reader.translatorOf(path);
  const { entities, problems, locator } = translate
    ? readBackstageDocuments(path, source, translate, context)
    : readEntities(path, source, context);
  return { path, format, entities, problems, locator };
}

type Problemless = Omit<Problem, 'file' | 'line' | 'column' | 'pointer'>;

interface ReadEntities {
  entities: LoadedEntity[];
  problems: Problem[];
  locator: Locator;
}

/** A Port entity file: each entity as written, with its `file://` values resolved. */
function readEntities(path: string, source: ParsedSource, context: LoadContext): ReadEntities {
  const problems: Problem[] = [];
  const entities: LoadedEntity[] = [];
  const candidates = splitEntities(source.documents);
  if (candidates.length === 0) problems.push(holdsNoEntity(path));
  const notEntities = notAnEntityFile(path, candidates);
  if (notEntities) return { entities, problems: [notEntities], locator: source.locator };
  for (const { pointer, value } of candidates) {
    const at = (suffix: string, code: ProblemCode, rule: string, message: string, hint?: string) =>
      problems.push({
        file: path,
        ...source.locator.locate(pointer + suffix),
        pointer: pointer + suffix,
        code,
        severity: 'error',
        rule,
        message,
        ...(hint ? { hint } : {}),
      });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      at('', 'shape', 'entity-shape', `expected an entity object, found ${describeType(value)}`);
      continue;
    }
    const data = value as Record<string, unknown>;
    const identifier = typeof data.identifier === 'string' ? data.identifier : undefined;
    const blueprint = context.reader.blueprintOf(path, data);
    if (blueprint === undefined && data.blueprint === undefined) {
      at(
        '',
        'blueprint',
        'no-blueprint',
        `no blueprint for entity ${identifier ? `"${identifier}"` : 'without identifier'}`,
        'add a "blueprint" field, a config rule whose "files" matches this file, or pass --blueprint',
      );
    }
    const resolved = resolveFileReferences(
      path,
      data,
      blueprint ? context.blueprints.get(blueprint) : undefined,
      context.targets,
    );
    for (const problem of resolved.problems) at(problem.suffix, 'file-reference', 'file-reference', problem.message);
    entities.push({
      file: path,
      pointer,
      blueprint,
      identifier,
      data: resolved.data,
      written: data,
      dependencies: resolved.dependencies,
    });
  }
  return { entities, problems, locator: source.locator };
}

/**
 * A Backstage descriptor file: each document with its `$text`/`$json`/`$yaml` substitutions read,
 * then translated through the mapping. The file's locator takes pointers into the translated
 * entities (as validation reports them) back to the Backstage fields they came from.
 */
function readBackstageDocuments(
  path: string,
  source: ParsedSource,
  translate: BackstageTranslator,
  context: LoadContext,
): ReadEntities {
  const problems: Problem[] = [];
  const entities: LoadedEntity[] = [];
  if (source.documents.length === 0) problems.push(holdsNoEntity(path));
  const multi = source.documents.length > 1;
  const sourceOf = new Map<string, (pointer: string) => string>();
  for (const [d, document] of source.documents.entries()) {
    const pointer = multi ? encodePointer([d]) : '';
    const at = (suffix: string, problem: Problemless) =>
      problems.push({ file: path, ...source.locator.locate(pointer + suffix), pointer: pointer + suffix, ...problem });

    const values = new Map<string, unknown>();
    const dependencies: string[] = [];
    for (const { pointer: suffix, kind, location } of substitutionsOf(document)) {
      const fail = (message: string, severity: Problem['severity'] = 'error', hint?: string) => {
        at(suffix, {
          code: 'file-reference',
          severity,
          rule: 'backstage-substitution',
          message: `${kind}: ${message}`,
          ...(hint ? { hint } : {}),
        });
        // Left out of the entity: the placeholder object itself would only add a type error.
        values.set(suffix, undefined);
      };
      if (typeof location === 'string' && isUrl(location)) {
        // Backstage fetches these; port-gitops reads only the repository. The rest of the document stands.
        fail(
          `"${location}" is a URL; port-gitops reads only files of this repository, so this value is left out`,
          'warning',
          'point it at a file of the repository to push the value',
        );
        continue;
      }
      const target = typeof location === 'string' ? substitutionTarget(path, location) : undefined;
      if (!target) {
        fail(
          typeof location !== 'string' ? 'expected the path of a file' : `"${location}" points outside the repository`,
        );
        continue;
      }
      dependencies.push(target);
      const read = context.targets.read(target);
      if (!read.ok) {
        fail(read.message);
      } else if (kind === '$text') {
        values.set(suffix, read.text);
      } else {
        const parsed = parseTarget(read.text, kind === '$json' ? 'JSON' : 'YAML');
        if (parsed.ok) values.set(suffix, parsed.value);
        else fail(`${target} is ${parsed.message}`);
      }
    }

    // Compared with base as written; pushed with the substitutions' content.
    const written = translate(document);
    const translated = values.size > 0 ? translate(substitute(document, values)) : written;
    for (const { pointer: suffix, ...problem } of translated.problems) at(suffix, problem);
    sourceOf.set(pointer, translated.sourceOf);
    if (!translated.entity || !written.entity) continue;
    const data = translated.entity;
    entities.push({
      file: path,
      pointer,
      blueprint: data.blueprint as string,
      identifier: data.identifier as string,
      data,
      written: written.entity,
      dependencies,
    });
  }
  // An entity's pointer is its document's (`/1`), or '' in a file of one document.
  const inFile = (pointer: string): string => {
    const end = pointer.indexOf('/', 1);
    const document = !multi ? '' : end === -1 ? pointer : pointer.slice(0, end);
    const translate = sourceOf.get(document);
    return translate ? document + translate(pointer.slice(document.length)) : pointer;
  };
  return {
    entities,
    problems,
    locator: {
      locate: (pointer, options) => source.locator.locate(inFile(pointer), options),
      inFile,
      raw: (pointer) => source.locator.raw?.(inFile(pointer)),
      ...(source.locator.mayAlterNumbers ? { mayAlterNumbers: true } : {}),
    },
  };
}

/** The keys an entity may have: a file whose objects have none of them is something else. */
const ENTITY_KEYS = ['identifier', 'blueprint', 'title', 'icon', 'team', 'properties', 'relations'];

/**
 * One problem, rather than a list of unknown fields, for a file that matches the include globs but is
 * clearly not an entity file: an npm manifest named port.json, a Port integration mapping, a Backstage
 * descriptor read without a mapping, or any data without an entity key.
 */
function notAnEntityFile(path: string, candidates: Array<{ value: unknown }>): Problem | undefined {
  const objects = candidates.map(({ value }) => value).filter((v): v is Record<string, unknown> => isObject(v));
  if (objects.length === 0 || objects.length < candidates.length) return undefined;
  if (objects.some((object) => ENTITY_KEYS.some((key) => key in object))) return undefined;
  const first = objects[0]!;
  const has = (...keys: string[]) => keys.some((key) => key in first);
  const looks =
    'name' in first && has('version', 'dependencies', 'devDependencies', 'scripts', 'main')
      ? 'an npm package manifest (package.json)'
      : has('resources', 'selector') || ('kind' in first && has('port', 'selector'))
        ? 'a Port integration mapping (kind, selector, port)'
        : 'apiVersion' in first && 'kind' in first && 'metadata' in first
          ? 'a Backstage descriptor (port-gitops reads those through the config\'s "backstage" mapping)'
          : `data without any entity key (${ENTITY_KEYS.join(', ')})`;
  return {
    file: path,
    line: 1,
    column: 1,
    pointer: '',
    code: 'shape',
    severity: 'error',
    rule: 'not-an-entity-file',
    message: `this is not a Port entity file: it looks like ${looks}`,
    hint: `leave it out: add "${path}" to the config's "exclude"`,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function holdsNoEntity(path: string): Problem {
  return {
    file: path,
    line: 1,
    column: 1,
    pointer: '',
    code: 'shape',
    severity: 'error',
    rule: 'no-entity',
    message: 'the file holds no entity',
  };
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string'
    ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
    : `a ${typeof value}`;
}
