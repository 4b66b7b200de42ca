/**
 * Port's `port-app-config.yml` as its Ocean integrations read it, limited to what has a meaning in a
 * checkout: the `kind: file` resources, each a file selector and jq filters that make entities of a file
 * (or of each item of a list in it). Fields that address a git host's API (`organization`, `repos`,
 * branches, `searchStrategy`, `validationCheck`) and resources of other kinds are read and named in one
 * note each, never silently dropped. Every filter keeps where it is written, so that a problem with it
 * points at its line and column.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { FatalError } from '../errors.js';
import { IGNORE_CASE } from '../globs.js';
import type { Position } from '../model.js';
import type { Provider } from './providers.js';

/** A jq filter as written in the mapping, and as jq runs it (Ocean's single-quote rule applied). */
export interface Filter {
  written: string;
  jq: string;
  at: Position;
}

/** `port.entity.mappings`: each leaf a filter; search-query objects are trees of filters. */
export type MappingValue = Filter | { [key: string]: MappingValue } | MappingValue[];

export interface FileResource {
  /** Its place in `resources`, from 0, and where it starts. */
  index: number;
  at: Position;
  query: Filter;
  /** `selector.files` paths: globs matched against repository-relative paths. */
  paths: string[];
  skipParsing: boolean;
  includedFiles: string[];
  itemsToParse?: Filter;
  itemsToParseName: string;
  itemsToParseTopLevelTransform: boolean;
  mappings: {
    identifier: MappingValue;
    blueprint: Filter;
    title?: Filter;
    icon?: Filter;
    team?: MappingValue;
    properties: Record<string, Filter>;
    relations: Record<string, MappingValue>;
  };
}

export interface AppConfig {
  /** Repository-relative path of the file. */
  file: string;
  resources: FileResource[];
  /** What was read and is not used here, said once per kind of thing. */
  notes: string[];
}

/** Fields of a file selector that only mean something against a git host's API. */
const HOST_FIELDS = ['organization', 'repos', 'searchStrategy', 'validationCheck', 'branch'];

/**
 * Ocean's rule for filters written with single quotes (`'"service"'` is the usual way, but `'service'`
 * is accepted too): a single quote that opens after the start or a blank, or closes before a blank or
 * the end, is read as a double quote. `startswith('svc')` stays as written, and fails to compile.
 */
export function asJq(written: string): string {
  return written.replace(/(?<=^|\s)'|'(?=\s|$)/g, '"');
}

/**
 * Reads the text of a `port-app-config.yml`; a file that does not fit is a config error at its line and
 * column. Each `path` glob is matched as the provider's integration matches it: without case for GitHub
 * and Azure DevOps (wcmatch's IGNORECASE), so those carry the `(?i)` mark (globs.ts).
 */
export function parseAppConfig(text: string, file: string, provider: Provider = 'github'): AppConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const position = (node: YamlNode | null | undefined): Position => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  };
  const fail = (node: YamlNode | null | undefined, message: string, hint?: string): never => {
    const at = position(node);
    throw new FatalError('config', `${file}:${at.line}:${at.column}: ${message}`, hint);
  };
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new FatalError('config', `${file}:${line}:${col}: ${error.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root !== null && !isMap(root)) fail(root, 'expected a mapping with `resources`');
  const get = (map: YamlNode | null | undefined, key: string): YamlNode | undefined => {
    if (!isMap(map)) return undefined;
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    return (pair?.value as YamlNode | null | undefined) ?? undefined;
  };
  const filter = (node: YamlNode | undefined, what: string): Filter => {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'boolean'))
      return fail(node, `${what} must be a jq filter (a string)`);
    const written = String(node.value);
    return { written, jq: asJq(written), at: position(node) };
  };
  const tree = (node: YamlNode | undefined, what: string): MappingValue => {
    if (isMap(node)) {
      const out: Record<string, MappingValue> = {};
      for (const pair of node.items)
        out[String((pair.key as { value?: unknown }).value)] = tree(pair.value as YamlNode, what);
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => tree(item as YamlNode, what));
    return filter(node, what);
  };
  const strings = (node: YamlNode | undefined, what: string): string[] => {
    if (node === undefined) return [];
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (isSeq(node) && node.items.every((item) => isScalar(item) && typeof item.value === 'string'))
      return node.items.map((item) => (item as { value: string }).value);
    return fail(node, `${what} must be a string or a list of strings`);
  };
  const flag = (node: YamlNode | undefined, what: string, fallback: boolean): boolean => {
    if (node === undefined) return fallback;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return fail(node, `${what} must be true or false`);
  };

  const notes = new Set<string>();
  const resources: FileResource[] = [];
  const list = get(root, 'resources');
  if (list !== undefined && !isSeq(list)) fail(list, '`resources` must be a list');
  for (const [index, node] of (isSeq(list) ? list.items : []).entries()) {
    const resource = node as YamlNode;
    const kind = get(resource, 'kind');
    const kindName = isScalar(kind) ? String(kind.value) : '';
    if (kindName !== 'file') {
      notes.add(
        `resources of kind "${kindName || '(none)'}" read a git host's API: ignored here, where the files are read from the checkout`,
      );
      continue;
    }
    const selector = get(resource, 'selector');
    const files = get(selector, 'files');
    let paths: string[] = [];
    let skipParsing = false;
    // GitHub writes a list of patterns; GitLab and Azure DevOps one object, whose path may be a list.
    const patterns = isSeq(files) ? (files.items as YamlNode[]) : files === undefined ? [] : [files];
    for (const pattern of patterns) {
      if (!isMap(pattern)) fail(pattern, '`selector.files` must be a pattern ({ path: ... }) or a list of them');
      paths.push(...strings(get(pattern, 'path'), '`path`'));
      skipParsing = flag(get(pattern, 'skipParsing'), '`skipParsing`', skipParsing);
      for (const field of HOST_FIELDS) {
        if (get(pattern, field) !== undefined) {
          notes.add(
            `\`selector.files.${field}\` names what a git host's API reads: ignored here, where the files are this checkout's`,
          );
        }
      }
    }
    paths = [...new Set(paths)].map((glob) => (provider === 'gitlab' ? glob : `${IGNORE_CASE}${glob}`));
    if (paths.length === 0) fail(selector ?? resource, 'a file resource needs `selector.files` with a `path`');
    const port = get(resource, 'port');
    const mappings = get(get(port, 'entity'), 'mappings');
    if (!isMap(mappings)) fail(mappings ?? port ?? resource, 'a file resource needs `port.entity.mappings`');
    const properties: Record<string, Filter> = {};
    const propertiesNode = get(mappings, 'properties');
    if (isMap(propertiesNode)) {
      for (const pair of propertiesNode.items)
        properties[String((pair.key as { value?: unknown }).value)] = filter(pair.value as YamlNode, 'a property');
    }
    const relations: Record<string, MappingValue> = {};
    const relationsNode = get(mappings, 'relations');
    if (isMap(relationsNode)) {
      for (const pair of relationsNode.items)
        relations[String((pair.key as { value?: unknown }).value)] = tree(pair.value as YamlNode, 'a relation');
    }
    const identifier = get(mappings, 'identifier');
    const blueprint = get(mappings, 'blueprint');
    if (identifier === undefined) fail(mappings, 'the mappings need an `identifier`');
    if (blueprint === undefined) fail(mappings, 'the mappings need a `blueprint`');
    const team = get(mappings, 'team');
    const itemsName = get(port, 'itemsToParseName');
    resources.push({
      index,
      at: position(resource),
      query: filter(get(selector, 'query'), '`selector.query`'),
      paths,
      skipParsing,
      includedFiles: strings(get(selector, 'includedFiles'), '`selector.includedFiles`'),
      ...(get(port, 'itemsToParse') !== undefined
        ? { itemsToParse: filter(get(port, 'itemsToParse'), '`itemsToParse`') }
        : {}),
      itemsToParseName: itemsName === undefined ? 'item' : strings(itemsName, '`itemsToParseName`')[0]!,
      itemsToParseTopLevelTransform: flag(
        get(port, 'itemsToParseTopLevelTransform'),
        '`itemsToParseTopLevelTransform`',
        true,
      ),
      mappings: {
        identifier: tree(identifier, '`identifier`'),
        blueprint: filter(blueprint, '`blueprint`'),
        ...(get(mappings, 'title') !== undefined ? { title: filter(get(mappings, 'title'), '`title`') } : {}),
        ...(get(mappings, 'icon') !== undefined ? { icon: filter(get(mappings, 'icon'), '`icon`') } : {}),
        ...(team !== undefined ? { team: tree(team, '`team`') } : {}),
        properties,
        relations,
      },
    });
  }
  return { file, resources, notes: [...notes] };
}

/** Every filter of a resource, each with what it is for (`selector.query`, `properties.version`, ...). */
export function filtersOf(resource: FileResource): Array<{ name: string; filter: Filter }> {
  const found: Array<{ name: string; filter: Filter }> = [{ name: 'selector.query', filter: resource.query }];
  if (resource.itemsToParse) found.push({ name: 'itemsToParse', filter: resource.itemsToParse });
  const walk = (name: string, value: MappingValue | undefined) => {
    if (value === undefined) return;
    if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(`${name}[${i}]`, item);
    else if ('jq' in value && 'at' in value && typeof value.jq === 'string')
      found.push({ name, filter: value as Filter });
    else for (const [key, inner] of Object.entries(value)) walk(`${name}.${key}`, inner as MappingValue);
  };
  const { mappings } = resource;
  walk('identifier', mappings.identifier);
  walk('blueprint', mappings.blueprint);
  walk('title', mappings.title);
  walk('icon', mappings.icon);
  walk('team', mappings.team);
  for (const [key, value] of Object.entries(mappings.properties)) walk(`properties.${key}`, value);
  for (const [key, value] of Object.entries(mappings.relations)) walk(`relations.${key}`, value);
  return found;
}
