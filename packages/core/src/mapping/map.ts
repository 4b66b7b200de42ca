/**
 * Files to entities through a `kind: file` resource, as Ocean maps them: each file's jq input
 * (providers.ts), each item of `itemsToParse` as an input of its own, the selector (which must say true
 * or false), then every field of the entity, first output only. Unlike Ocean, nothing is dropped or
 * emptied without a word: a field whose filter errors or yields nothing, an entity without identifier or
 * blueprint, a selector that is not a boolean, each is a problem on the file, naming the item, the field,
 * the mapping's line and jq's message.
 */
import { dirname, posix } from 'node:path';
import type { Position } from '../model.js';
import { type FileResource, type Filter, type MappingValue, filtersOf } from './app-config.js';
import type { FieldResult, JqEngine } from './jq.js';
import { type Provider, type RepositoryFacts, rawItem, withContentReferences } from './providers.js';

export interface MappingContext {
  engine: JqEngine;
  provider: Provider;
  repository: RepositoryFacts;
  /** The app config's repository-relative path, for messages. */
  appConfig: string;
  /** A repository file's text, for `includedFiles` and `file://` values, or why it cannot be read. */
  readFile(path: string): { ok: true; text: string } | { ok: false; message: string };
}

interface MappedEntity {
  data: Record<string, unknown>;
  /** The `itemsToParse` item it came from (its index), if any. */
  item?: number;
  /** For each field of `data` (a JSON pointer), where the value was written in the file: a pointer into its content. */
  sources: Map<string, string>;
  /** For each field of `data`, the filter that made it: `port-app-config.yml:LINE:COLUMN`. */
  origins: Map<string, string>;
}

interface MappingProblem {
  severity: 'error' | 'warning';
  rule: 'mapping-field' | 'mapping-dropped' | 'mapping-selector' | 'mapping-items' | 'file-reference';
  message: string;
  hint?: string;
  /** A pointer into the file's content where the problem's value was written, when one is known. */
  contentPointer?: string;
}

export interface MappedFile {
  path: string;
  entities: MappedEntity[];
  problems: MappingProblem[];
  /** The repository paths its content's `file://` values name (found or not): a change to one re-maps it. */
  references: string[];
}

interface Input {
  file: number;
  item?: number;
  value: Record<string, unknown>;
}

/** Maps these files (each a path and its text) through one resource, with one jq run per batch of inputs. */
/** What each filter gave for one input (a file, or an item of it), for `port-gitops map`. */
export interface FieldTrace {
  path: string;
  item?: number;
  /** By filter name (`selector.query`, `identifier`, `properties.version` ...). */
  results: Map<string, FieldResult>;
}

export function mapFiles(
  resource: FileResource,
  files: Array<{ path: string; text: string }>,
  context: MappingContext,
  trace?: (field: FieldTrace) => void,
): MappedFile[] {
  const results: MappedFile[] = files.map(({ path }) => ({ path, entities: [], problems: [], references: [] }));
  const where = (at: Position) => `${context.appConfig}:${at.line}:${at.column}`;
  let inputs: Input[] = files.map((file, i) => ({ file: i, value: inputOf(resource, file, context, results[i]!) }));

  if (resource.itemsToParse) {
    const itemsFilter = resource.itemsToParse;
    const found = context.engine.evaluate(
      inputs.map((input) => input.value),
      new Map([['items', itemsFilter.jq]]),
    );
    const expanded: Input[] = [];
    const parentPath = resource.itemsToParseTopLevelTransform ? deletionPath(itemsFilter.jq) : undefined;
    found.forEach((result, i) => {
      const items = result.get('items')!;
      const input = inputs[i]!;
      if (!('value' in items) || !Array.isArray(items.value)) {
        results[input.file]!.problems.push({
          severity: 'warning',
          rule: 'mapping-items',
          message: `no entity from this file: itemsToParse (${where(itemsFilter.at)}) gave ${describe(items)}, not a list`,
          hint: 'a file that holds one object: `.content | if type == "object" then [.] else . end`',
        });
        return;
      }
      const parent = parentPath ? withoutPath(input.value, parentPath) : input.value;
      items.value.forEach((element, item) => {
        expanded.push({ file: input.file, item, value: { ...parent, [resource.itemsToParseName]: element } });
      });
    });
    inputs = expanded;
  }

  // Every filter but itemsToParse's, evaluated on every input in one jq run.
  const fields = new Map(
    filtersOf(resource)
      .filter(({ name }) => name !== 'itemsToParse')
      .map(({ name, filter }) => [name, filter] as const),
  );
  const { mappings } = resource;
  const evaluated = context.engine.evaluate(
    inputs.map((input) => input.value),
    new Map([...fields].map(([name, filter]) => [name, filter.jq])),
  );
  const contentRoot = CONTENT_ROOT[context.provider];
  const itemsRoot = resource.itemsToParse ? plainPath(resource.itemsToParse.jq, contentRoot) : undefined;
  evaluated.forEach((values, i) => {
    const input = inputs[i]!;
    const out = results[input.file]!;
    trace?.({ path: out.path, ...(input.item === undefined ? {} : { item: input.item }), results: values });
    const which = input.item === undefined ? '' : ` (item ${input.item})`;
    const selector = values.get('selector.query')!;
    if (!('value' in selector) || typeof selector.value !== 'boolean') {
      out.problems.push({
        severity: 'error',
        rule: 'mapping-selector',
        message: `selector.query (${where(resource.query.at)}) gave ${describe(selector)}${which}, not true or false`,
        hint: 'write a filter that is always a boolean, e.g. `(.content.enabled // false)`',
      });
      return;
    }
    if (!selector.value) return;
    const sources = new Map<string, string>();
    const origins = new Map<string, string>();
    const fieldValue = (name: string, pointer: string, filter: Filter): unknown => {
      const result = values.get(name)!;
      origins.set(pointer, where(filter.at));
      if ('value' in result) {
        const source = sourcePointer(filter.jq, contentRoot, resource.itemsToParseName, itemsRoot, input.item);
        if (source !== undefined) sources.set(pointer, source);
        return result.value;
      }
      out.problems.push({
        severity: 'warning',
        rule: 'mapping-field',
        message: `${name}${which} (${where(filter.at)}) ${'error' in result ? `failed: ${result.error}` : 'gave nothing'}; it is left out`,
        ...(sourcePointer(filter.jq, contentRoot, resource.itemsToParseName, itemsRoot, input.item) === undefined
          ? {}
          : {
              contentPointer: sourcePointer(filter.jq, contentRoot, resource.itemsToParseName, itemsRoot, input.item)!,
            }),
      });
      return undefined;
    };
    const build = (name: string, pointer: string, value: MappingValue): unknown => {
      if (isFilter(value)) return fieldValue(name, pointer, value);
      if (Array.isArray(value)) return value.map((item, k) => build(`${name}[${k}]`, `${pointer}/${k}`, item));
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, build(`${name}.${key}`, `${pointer}/${key}`, inner)]),
      );
    };
    const data: Record<string, unknown> = {};
    const identifier = build('identifier', '/identifier', mappings.identifier);
    const blueprint = fieldValue('blueprint', '/blueprint', mappings.blueprint);
    if (!identifier || !blueprint) {
      const empty = !identifier ? 'identifier' : 'blueprint';
      const emptyFilter = empty === 'identifier' ? mappings.identifier : mappings.blueprint;
      const at = isFilter(emptyFilter)
        ? sourcePointer(emptyFilter.jq, contentRoot, resource.itemsToParseName, itemsRoot, input.item)
        : undefined;
      out.problems.push({
        ...(at === undefined ? {} : { contentPointer: at }),
        severity: 'warning',
        rule: 'mapping-dropped',
        message: `an entity${which} is dropped: its ${empty} came out ${JSON.stringify(!identifier ? identifier : blueprint) ?? 'empty'} (${where((empty === 'identifier' && isFilter(mappings.identifier) ? mappings.identifier : mappings.blueprint).at)})`,
        hint: 'as Ocean does, an entity whose identifier or blueprint is empty, null, false or 0 is not made',
      });
      return;
    }
    data.identifier = identifier;
    data.blueprint = blueprint;
    // A title, icon or team that comes out null is left out, as if unmapped: Port takes none as none.
    for (const key of ['title', 'icon'] as const) {
      const filter = mappings[key];
      if (!filter) continue;
      const value = fieldValue(key, `/${key}`, filter);
      if (value !== undefined && value !== null) data[key] = value;
    }
    if (mappings.team) {
      const team = build('team', '/team', mappings.team);
      if (team !== undefined && team !== null) data.team = team;
    }
    const properties: Record<string, unknown> = {};
    for (const [key, filter] of Object.entries(mappings.properties)) {
      const value = fieldValue(`properties.${key}`, `/properties/${key}`, filter);
      if (value !== undefined) properties[key] = value;
    }
    data.properties = properties;
    const relations: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(mappings.relations)) {
      const built = build(`relations.${key}`, `/relations/${key}`, value);
      if (built !== undefined) relations[key] = built;
    }
    if (Object.keys(relations).length > 0) data.relations = relations;
    out.entities.push({ data, sources, origins, ...(input.item === undefined ? {} : { item: input.item }) });
  });
  return results;
}

/** Where each provider puts the file's parsed content in the jq input. */
const CONTENT_ROOT: Record<Provider, string> = {
  github: '.content',
  gitlab: '.file.content',
  'azure-devops': '.file.content.parsed',
};

/**
 * The repository paths of a resource's `includedFiles` for one matched file, by the name the mapping
 * gives each: GitHub reads them beside the matched file, GitLab and Azure DevOps from the repository's
 * root. A name that leads out of the repository has no path.
 */
export function includedPaths(
  resource: FileResource,
  path: string,
  provider: Provider,
): Map<string, string | undefined> {
  const base = provider === 'github' ? dirname(path) : '.';
  const paths = new Map<string, string | undefined>();
  for (const name of resource.includedFiles) {
    const included = posix.normalize(posix.join(base === '.' ? '' : base, name));
    paths.set(name, included.startsWith('../') ? undefined : included);
  }
  return paths;
}

/**
 * The jq input of a file: as the provider builds it, its content's `file://` values replaced as the
 * provider replaces them (a missing target is a warning on the value), with `__includedFiles` when the
 * resource names some.
 */
function inputOf(
  resource: FileResource,
  file: { path: string; text: string },
  context: MappingContext,
  out: MappedFile,
): Record<string, unknown> {
  let value = rawItem(context.provider, file, context.repository, resource.skipParsing);
  if (!resource.skipParsing) {
    const resolved = withContentReferences(context.provider, file.path, value, context.readFile);
    value = resolved.item;
    for (const reference of resolved.references) {
      if (reference.path !== undefined) out.references.push(reference.path);
      if (reference.unread === undefined) continue;
      out.problems.push({
        severity: 'warning',
        rule: 'file-reference',
        contentPointer: reference.pointer,
        message: `${reference.reference}: ${reference.unread}; the content holds ${context.provider === 'github' ? '""' : 'null'} there, as ${PROVIDER_NAMES[context.provider]} integration puts it`,
      });
    }
  }
  if (resource.includedFiles.length === 0) return value;
  const included: Record<string, string | null> = {};
  for (const [name, path] of includedPaths(resource, file.path, context.provider)) {
    const read = path === undefined ? undefined : context.readFile(path);
    included[name] = read?.ok ? read.text : null;
  }
  return { ...value, __includedFiles: included };
}

const PROVIDER_NAMES: Record<Provider, string> = {
  github: "Ocean's GitHub",
  gitlab: "Ocean's GitLab",
  'azure-devops': "Ocean's Azure DevOps",
};

function isFilter(value: MappingValue): value is Filter {
  return !Array.isArray(value) && typeof (value as Filter).jq === 'string' && 'at' in value;
}

function describe(result: FieldResult): string {
  if ('error' in result) return `an error (${result.error})`;
  if ('none' in result) return 'nothing';
  return JSON.stringify(result.value) ?? 'nothing';
}

/** A filter that is only a path of plain keys (`.content.name`, `.item.key`): its keys, else undefined. */
function pathKeys(jq: string): string[] | undefined {
  const match = /^\s*((?:\.[A-Za-z_][A-Za-z0-9_]*|\.?\[\d+\])+)\s*$/.exec(jq);
  if (!match) return undefined;
  return [...match[1]!.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((m) => m[1] ?? m[2]!);
}

/** The keys under the content root of a plain path (`.content.dependencies` → [dependencies]), else undefined. */
function plainPath(jq: string, contentRoot: string): string[] | undefined {
  const keys = pathKeys(jq);
  const root = pathKeys(contentRoot)!;
  if (!keys || keys.length < root.length || root.some((key, i) => keys[i] !== key)) return undefined;
  return keys.slice(root.length);
}

/**
 * Where in the file a field's value was written, as a JSON pointer into its content: for a plain path
 * into the content, or into the current item when the items themselves are a plain path into it.
 */
function sourcePointer(
  jq: string,
  contentRoot: string,
  itemName: string,
  itemsRoot: string[] | undefined,
  item: number | undefined,
): string | undefined {
  const direct = plainPath(jq, contentRoot);
  const keys = direct ?? (item !== undefined && itemsRoot ? itemKeys(jq, itemName, itemsRoot, item) : undefined);
  return keys === undefined
    ? undefined
    : keys.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function itemKeys(jq: string, itemName: string, itemsRoot: string[], item: number): string[] | undefined {
  const keys = pathKeys(jq);
  if (!keys || keys[0] !== itemName) return undefined;
  return [...itemsRoot, String(item), ...keys.slice(1)];
}

/**
 * What `itemsToParseTopLevelTransform` deletes from each item's parent: the plain path the items come
 * from (`.content.dependencies` of `.content.dependencies | to_entries`), as Ocean extracts it.
 */
function deletionPath(jq: string): string[] | undefined {
  const match = /^\s*((?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?=\s*(\||$))/.exec(jq);
  return match ? match[1]!.slice(1).split('.') : undefined;
}

/** A copy of `value` without the key at `path` (the objects on the way copied, nothing else). */
function withoutPath(value: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [key, ...rest] = path;
  if (key === undefined || typeof value !== 'object' || value === null || !(key in value)) return value;
  const copy = { ...value };
  if (rest.length === 0) delete copy[key];
  else if (typeof copy[key] === 'object' && copy[key] !== null && !Array.isArray(copy[key]))
    copy[key] = withoutPath(copy[key] as Record<string, unknown>, rest);
  return copy;
}
