import { join } from 'node:path';
import type { Blueprint } from '@port-gitops/port-schema';
import { type BackstageTranslator, substitute, substitutionsOf } from '../backstage/index.js';
import type { LoadedEntity, LoadedFile, Locator, Problem, ProblemCode, Selection } from '../model.js';
import { type ParsedSource, encodePointer, parseJsonSource, parseYamlSource } from '../source/index.js';
import { type EntityReader, splitEntities } from './entity-reader.js';
import {
  type TargetReader,
  createTargetReader,
  isUrl,
  parseTarget,
  readSmallFile,
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

/** Reads and parses the selected files (deleted ones excepted), each into its entities. */
export function load(selection: Selection, options: LoadOptions): LoadedFile[] {
  const context: LoadContext = { ...options, targets: createTargetReader(options.root) };
  const paths = selection.files.filter((file) => file.status !== 'deleted').map((file) => file.path);
  // One file after the other, synchronously: reading is (see readSmallFile) and parsing is CPU-bound,
  // so concurrency would only add promise overhead.
  return paths.map((path) => loadEntityFile(path, context));
}

interface LoadContext extends LoadOptions {
  targets: TargetReader;
}

function loadEntityFile(path: string, context: LoadContext): LoadedFile {
  const format = /\.json$/i.test(path) ? 'json' : 'yaml';
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
    if (typeof read === 'number')
      return fail('read', `the file is ${read} bytes; entity files are limited to ${MAX_ENTITY_FILE_BYTES}`);
    text = read;
  } catch (error) {
    return fail('read', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

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
        message: error.message,
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
  for (const { pointer, value } of candidates) {
    const at = (suffix: string, code: ProblemCode, message: string, hint?: string) =>
      problems.push({
        file: path,
        ...source.locator.locate(pointer + suffix),
        pointer: pointer + suffix,
        code,
        severity: 'error',
        message,
        ...(hint ? { hint } : {}),
      });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      at('', 'shape', `expected an entity object, found ${describeType(value)}`);
      continue;
    }
    const data = value as Record<string, unknown>;
    const identifier = typeof data.identifier === 'string' ? data.identifier : undefined;
    const blueprint = context.reader.blueprintOf(path, data);
    if (blueprint === undefined && data.blueprint === undefined) {
      at(
        '',
        'blueprint',
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
    for (const problem of resolved.problems) at(problem.suffix, 'file-reference', problem.message);
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
      const fail = (message: string) => {
        at(suffix, {
          code: 'file-reference',
          severity: 'error',
          rule: 'backstage-substitution',
          message: `${kind}: ${message}`,
        });
        // Left out of the entity: the placeholder object itself would only add a type error.
        values.set(suffix, undefined);
      };
      const target = typeof location === 'string' ? substitutionTarget(path, location) : undefined;
      if (!target) {
        fail(
          typeof location !== 'string'
            ? 'expected the path of a file'
            : isUrl(location)
              ? `"${location}" is a URL; only files of this repository are read`
              : `"${location}" points outside the repository`,
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
    locator: { locate: (pointer, options) => source.locator.locate(inFile(pointer), options), inFile },
  };
}

function holdsNoEntity(path: string): Problem {
  return {
    file: path,
    line: 1,
    column: 1,
    pointer: '',
    code: 'shape',
    severity: 'error',
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
