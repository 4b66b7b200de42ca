/**
 * How a file's text becomes entities, without reading any other file: Port entity files (one
 * entity, a list, several YAML documents), and Backstage descriptor files translated through the
 * config's mapping. Load (positions, references resolved), the diff with base, the search for
 * `file://` dependents and the relation lookup all read files through one reader, so that they
 * agree on what a file holds.
 */
import picomatch from 'picomatch';
import { globMatcher } from '../globs.js';
import {
  type BackstageConfig,
  type BackstageTranslator,
  createBackstageTranslator,
  substitutionsOf,
} from '../backstage/index.js';
import type { Rule } from '../config/index.js';
import {
  type FileResource,
  type MappedFile,
  type MappingContext,
  contentOf,
  contentReferences,
  includedPaths,
  mapFiles,
  rawItem,
} from '../mapping/index.js';
import { encodePointer, parseJsonSource, parseYamlSource } from '../source/index.js';
import { FILE_REFERENCE, resolveReferencePath, substitutionTarget } from './references.js';

export interface EntityReaderOptions {
  /** Config rules: the blueprint of entities that do not name one, by file glob. */
  rules: Rule[];
  /** `--blueprint`: the last resort. */
  defaultBlueprint?: string;
  /** Config `backstage`: descriptor files and their mapping. */
  backstage?: BackstageConfig;
  /** Config `mappings`: the file-kind resources, and what their jq runs with (engine, provider, repository). */
  mapping?: { resources: FileResource[]; context: MappingContext };
}

export interface EntityReader {
  /** The blueprint of an entity: its own field, else the first rule matching its file, else the default. */
  blueprintOf(path: string, entity: Record<string, unknown>): string | undefined;
  /** The translation of this file's documents, when it is a Backstage descriptor file. */
  translatorOf(path: string): BackstageTranslator | undefined;
  /** Whose integration the file-kind mappings were written for, when there are some. */
  mappingProvider: MappingContext['provider'] | undefined;
  /** The file-kind resources whose paths match this file; [] when none does. */
  resourcesOf(path: string): FileResource[];
  /** These files through every resource that matches each, in one jq run per resource (docs/mappings.md). */
  mapFiles(files: Array<{ path: string; text: string }>): Map<string, MappedFile[]>;
  /** The repository paths a mapped file's resources include (`includedFiles`): a change to one re-maps it. */
  includesOf(path: string): string[];
  /** Whether some resource includes other files at all (`includedFiles`). */
  includesFiles: boolean;
  /** The entities a file's text holds, as written (Backstage documents translated); [] when it does not parse. */
  parse(path: string, text: string): Array<Record<string, unknown>>;
  /** The repository paths a file pulls in: `file://` values, Backstage `$text`/`$json`/`$yaml`. */
  referencesOf(path: string, text: string): string[];
  /**
   * The repository paths one line of a file pulls in, read from the line alone (`file://…`,
   * `$text: …`); undefined when the line holds no reference that can be read that way. For narrowing
   * a search: a file is parsed (`referencesOf`) before anything is decided.
   */
  referencesOnLine(path: string, line: string): string[] | undefined;
  /** Strings on every line that pulls a file in: `git grep` finds those lines, one search for any change. */
  referenceMarkers: string[];
  /** The keys whose value names an entity: `identifier`, and a Backstage document's `name`. */
  identifierKeys: string[];
}

/** `file://path` on a line, up to a quote, a blank, a comma or a closing bracket. */
const FILE_REFERENCE_ON_LINE = new RegExp(`${FILE_REFERENCE}([^\\s"'\`,}\\]]+)`, 'g');
/** `$text: path` (or `$json`, `$yaml`), quoted or not. */
const SUBSTITUTION_ON_LINE = /\$(?:text|json|yaml)["']?\s*:\s*["']?([^\s"',}\]]+)/g;

export function createEntityReader(options: EntityReaderOptions): EntityReader {
  const matchers = options.rules.map((rule) => ({
    test: picomatch(rule.files, { dot: true, flags: 's' }),
    blueprint: rule.blueprint,
  }));
  const backstage = options.backstage;
  const isBackstage = backstage ? picomatch(backstage.files, { dot: false, flags: 's' }) : () => false;
  const translate = backstage ? createBackstageTranslator(backstage) : undefined;
  const mapping = options.mapping;
  const resourceMatchers = (mapping?.resources ?? []).map((resource) => ({
    resource,
    test: globMatcher(resource.paths, { dot: true, flags: 's' }),
  }));
  const resourcesOf = (path: string) =>
    resourceMatchers.filter((matcher) => matcher.test(path)).map((matcher) => matcher.resource);
  /** The `file://` values a mapped file's content names, for each resource that parses it. */
  const mappedReferences = (path: string, text: string): string[] => {
    const found = new Set<string>();
    for (const resource of resourcesOf(path)) {
      if (resource.skipParsing) continue;
      const provider = mapping!.context.provider;
      const item = rawItem(provider, { path, text }, mapping!.context.repository, false);
      for (const reference of contentReferences(provider, path, contentOf(provider, item)))
        if (reference.path !== undefined) found.add(reference.path);
    }
    return [...found];
  };
  const reader: EntityReader = {
    mappingProvider: mapping?.context.provider,
    resourcesOf,
    includesFiles: (mapping?.resources ?? []).some((resource) => resource.includedFiles.length > 0),
    includesOf(path) {
      if (!mapping) return [];
      const found = new Set<string>();
      for (const resource of resourcesOf(path)) {
        for (const included of includedPaths(resource, path, mapping.context.provider).values()) {
          if (included !== undefined) found.add(included);
        }
      }
      return [...found];
    },
    mapFiles(files) {
      const byPath = new Map<string, MappedFile[]>(files.map(({ path }) => [path, []]));
      for (const resource of mapping?.resources ?? []) {
        const matching = files.filter(({ path }) => resourcesOf(path).includes(resource));
        if (matching.length === 0) continue;
        for (const mapped of mapFiles(resource, matching, mapping!.context)) byPath.get(mapped.path)!.push(mapped);
      }
      return byPath;
    },
    blueprintOf: (path, entity) =>
      typeof entity.blueprint === 'string'
        ? entity.blueprint
        : (matchers.find((matcher) => matcher.test(path))?.blueprint ?? options.defaultBlueprint),
    translatorOf: (path) => (isBackstage(path) ? translate : undefined),
    parse(path, text) {
      if (resourcesOf(path).length > 0) {
        return (reader.mapFiles([{ path, text }]).get(path) ?? []).flatMap((mapped) =>
          mapped.entities.map((entity) => entity.data),
        );
      }
      const documents = parseDocuments(path, text);
      const translator = reader.translatorOf(path);
      const values = translator
        ? documents.map((document) => translator(document).entity)
        : splitEntities(documents).map((candidate) => candidate.value);
      return values.filter(
        (value): value is Record<string, unknown> =>
          typeof value === 'object' && value !== null && !Array.isArray(value),
      );
    },
    referencesOf(path, text) {
      if (mapping && resourcesOf(path).length > 0) return mappedReferences(path, text);
      if (reader.translatorOf(path)) {
        return parseDocuments(path, text)
          .flatMap((document) => substitutionsOf(document))
          .flatMap(({ location }) => (typeof location === 'string' ? (substitutionTarget(path, location) ?? []) : []));
      }
      return fileReferencesOf(path, reader.parse(path, text));
    },
    referenceMarkers: backstage ? [FILE_REFERENCE, '$text', '$json', '$yaml'] : [FILE_REFERENCE],
    identifierKeys: backstage ? ['identifier', 'name'] : ['identifier'],
    referencesOnLine(path, line) {
      const found: string[] = [];
      const mapped = mapping && resourcesOf(path).length > 0;
      for (const match of line.matchAll(FILE_REFERENCE_ON_LINE)) {
        const target = mapped
          ? contentReferences(mapping.context.provider, path, match[0]).at(0)?.path
          : resolveReferencePath(path, match[1]!);
        if (target) found.push(target);
      }
      if (reader.translatorOf(path)) {
        for (const match of line.matchAll(SUBSTITUTION_ON_LINE)) {
          const target = substitutionTarget(path, match[1]!);
          if (target) found.push(target);
        }
      }
      return found.length > 0 ? found : undefined;
    },
  };
  return reader;
}

/** A file's documents (a JSON file has one); [] when it does not parse. */
function parseDocuments(path: string, text: string): unknown[] {
  const unmarked = text.replace(/^\uFEFF/, '');
  const source = /\.json$/i.test(path) ? parseJsonSource(unmarked) : parseYamlSource(unmarked);
  return source.errors.length > 0 ? [] : source.documents;
}

/** A Port entity file holds one entity, a list of them, or (YAML) several documents, each an entity or a list. */
export function splitEntities(documents: unknown[]): Array<{ pointer: string; value: unknown }> {
  const multi = documents.length > 1;
  return documents.flatMap((document, d) => {
    const prefix = multi ? [d] : [];
    if (Array.isArray(document)) return document.map((value, i) => ({ pointer: encodePointer([...prefix, i]), value }));
    if (document === null || document === undefined) return [];
    return [{ pointer: encodePointer(prefix), value: document }];
  });
}

/** The repository-relative targets of the `file://` property values of these entities. */
function fileReferencesOf(path: string, entities: Array<Record<string, unknown>>): string[] {
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
