import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BLUEPRINT_IDENTIFIER_PATTERN, type SchemaError } from '@port-gitops/port-schema';
import { type BackstageConfig, DEFAULT_BACKSTAGE_FILES, DEFAULT_BACKSTAGE_KINDS } from '../backstage/index.js';
import { FatalError } from '../errors.js';
import { type Provider, parseAppConfig } from '../mapping/index.js';
import { validateConfig as validateConfigFile } from '../precompiled.js';
import { dottedPath, unknownKeyHint } from '../schema-errors.js';
import { type ParsedSource, parseJsonSource, parseYamlSource } from '../source/index.js';
import { CONFIG_FILE_NAMES, DEFAULTS } from './defaults.js';
import { CONFIG_SCHEMA } from './schema.js';
import type { Config, LoadedConfig } from './types.js';

/**
 * Reads `port-gitops.config.{json,yaml,yml}` at the root (or `explicitPath`) and validates it strictly:
 * an unknown key or a wrong type ends the run with an error that names the key, line and column.
 * Four steps: read → parse → validate → normalize.
 */
export function loadConfig(root: string, explicitPath?: string): LoadedConfig {
  const path = findConfigFile(root, explicitPath);
  if (!path) return { config: withMappings(root, structuredClone(DEFAULTS), undefined), path: undefined };
  const shown = relative(root, path).split('\\').join('/') || path;
  const source = parseConfig(readConfig(path, shown), path, shown);
  const data = source.documents[0] ?? {};
  validateConfig(data, source, shown);
  checkPaths(root, data as WrittenConfig, source, shown);
  const written = data as WrittenConfig;
  return { config: withMappings(root, normalizeConfig(written), written.mappings), path: shown };
}

/** Where the mappings are read from when the config names no file. */
const DEFAULT_APP_CONFIG = '.port/port-app-config.yml';

/**
 * The file-kind mappings of the repository's port-app-config.yml (the config's, or the default file when
 * it exists): read here, so that the files their globs match are entity files for discovery and
 * selection alike. A mapping file the config names must exist.
 */
function withMappings(root: string, config: Config, written: WrittenMappings | undefined): Config {
  if (written === false) return config;
  const file = written?.file ?? DEFAULT_APP_CONFIG;
  let text: string;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch {
    if (written?.file === undefined) return config;
    throw new FatalError('config', `the mappings file ${file} cannot be read`, 'fix "mappings.file", or remove it');
  }
  const provider = written?.provider ?? 'github';
  const appConfig = parseAppConfig(text, file, provider);
  config.mappings = { file, provider, appConfig };
  const globs = appConfig.resources.flatMap((resource) => resource.paths);
  config.include = [...new Set([...config.include, ...globs])];
  return config;
}

type WrittenMappings = false | { file?: string; provider?: Provider };

function findConfigFile(root: string, explicitPath: string | undefined): string | undefined {
  if (explicitPath) return isAbsolute(explicitPath) ? explicitPath : join(root, explicitPath);
  return CONFIG_FILE_NAMES.map((name) => join(root, name)).find((candidate) => existsSync(candidate));
}

function readConfig(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FatalError('config', `cannot read the config file ${shown}: ${code}`);
  }
}

function parseConfig(text: string, path: string, shown: string): ParsedSource {
  const source = path.endsWith('.json') ? parseJsonSource(text) : parseYamlSource(text);
  const firstError = source.errors[0];
  if (firstError)
    throw new FatalError('config', `${shown}:${firstError.line}:${firstError.column}: ${firstError.message}`);
  return source;
}

interface ObjectSchema {
  properties?: Record<string, unknown>;
  oneOf?: ObjectSchema[];
}
const configSchema = CONFIG_SCHEMA as unknown as { properties: Record<string, ObjectSchema> };
function validateConfig(data: unknown, source: ParsedSource, shown: string): void {
  // Compiled at build time from CONFIG_SCHEMA (scripts/precompile.mjs): no run pays ajv's compile for it.
  if (validateConfigFile(data)) return;
  const lines = collapseAlternatives(validateConfigFile.errors ?? []).map(
    (error) => `${shown}:${describeConfigError(error, source)}`,
  );
  throw new FatalError('config', `invalid config file:\n  ${lines.join('\n  ')}`);
}

/**
 * One error for a value that fits none of a `oneOf`'s alternatives (`"watermark": true`: "must be false or
 * object"), rather than one per alternative and one for the `oneOf`; when the value has the shape of an
 * alternative and fails inside it (a bad `watermark.blueprint`), only that alternative's errors.
 */
const SHAPE_KEYWORDS = new Set(['type', 'const', 'enum']);

function collapseAlternatives(errors: SchemaError[]): SchemaError[] {
  let kept = errors;
  for (const alternative of errors.filter((error) => error.keyword === 'oneOf')) {
    const inside = kept.filter((error) => error.schemaPath.startsWith(`${alternative.schemaPath}/`));
    // Past its type (a key inside it, a key it must not have): the value has that alternative's shape.
    const deeper = inside.filter(
      (error) => error.instancePath.length > alternative.instancePath.length || !SHAPE_KEYWORDS.has(error.keyword),
    );
    kept = kept.filter((error) => error !== alternative && (!inside.includes(error) || deeper.includes(error)));
    if (deeper.length > 0) continue;
    const allowed = inside.map((error) => {
      const params = error.params as { allowedValue?: unknown; type?: string };
      return error.keyword === 'const' ? JSON.stringify(params.allowedValue) : (params.type ?? error.keyword);
    });
    kept.push({ ...alternative, message: `must be ${allowed.join(' or ')}` });
  }
  return kept;
}

/** `line:column: message` for one schema error in the config file. */
function describeConfigError(error: SchemaError, source: ParsedSource): string {
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const pointer = `${error.instancePath}/${key}`;
    const { line, column } = source.locator.locate(pointer, { key: true });
    const section: ObjectSchema | undefined =
      error.instancePath === '' ? configSchema : configSchema.properties[error.instancePath.slice(1)];
    // A section that may also be `false` (watermark) has its keys in the object alternative.
    const keys = section?.properties ?? section?.oneOf?.find((alternative) => alternative.properties)?.properties;
    const hint = unknownKeyHint(key, Object.keys(keys ?? {}));
    return `${line}:${column}: unknown key "${dottedPath(pointer)}"${hint ? ` (${hint})` : ''}`;
  }
  const { line, column } = source.locator.locate(error.instancePath);
  const message =
    error.keyword === 'pattern' && (error.params as { pattern?: string }).pattern === BLUEPRINT_IDENTIFIER_PATTERN
      ? 'is not a blueprint identifier (letters, digits and @ _ . + : \\ / - only)'
      : error.message;
  return `${line}:${column}: "${dottedPath(error.instancePath) || '(root)'}" ${message}`;
}

/**
 * The folders and files the config names must be inside the repository and exist: a `blueprintsDir`
 * with a typo would otherwise validate nothing and say nothing, and a `schema` outside the repository
 * would be read into error messages.
 */
function checkPaths(root: string, written: WrittenConfig, source: ParsedSource, shown: string): void {
  const realRoot = realpathSync.native(root);
  const named: Array<{ key: 'blueprintsDir' | 'schema' | 'teamsFile'; want: 'folder' | 'file' }> = [
    { key: 'blueprintsDir', want: 'folder' },
    { key: 'schema', want: 'file' },
    { key: 'teamsFile', want: 'file' },
  ];
  for (const { key, want } of named) {
    const value = written[key];
    if (typeof value !== 'string') continue;
    const { line, column } = source.locator.locate(`/${key}`);
    const fail = (why: string, hint?: string): never => {
      throw new FatalError('config', `${shown}:${line}:${column}: "${key}" names ${value}, ${why}`, hint);
    };
    const full = resolve(root, value);
    if (isAbsolute(value) || !isInside(full, root))
      fail('which is outside the repository', 'give a path relative to the repository root');
    let real: string;
    try {
      real = realpathSync.native(full);
    } catch {
      real = fail(
        'which does not exist',
        key === 'blueprintsDir'
          ? 'run `port-gitops blueprints pull` to create it, fix the path, or remove the key (default .port/blueprints)'
          : key === 'teamsFile'
            ? 'run `port-gitops teams pull` to create it, fix the path, or remove the key (default .port/teams.json)'
            : 'fix the path, or remove the key',
      );
    }
    if (!isInside(real, realRoot)) fail('which leads outside the repository through a link');
    const isFolder = statSync(real).isDirectory();
    if ((want === 'folder') !== isFolder) fail(`which is ${isFolder ? 'a folder' : 'a file'}, not a ${want}`);
  }
}

function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root + sep);
}

type WrittenConfig = Omit<Partial<Config>, 'backstage' | 'mappings'> & {
  backstage?: Partial<BackstageConfig>;
  mappings?: WrittenMappings;
};

/** Defaults filled in; a Backstage mapping makes descriptor files entity files. */
function normalizeConfig(written: WrittenConfig): Config {
  const { backstage, mappings: _mappings, ...given } = written;
  const config: Config = {
    ...structuredClone(DEFAULTS),
    ...given,
    port: { ...DEFAULTS.port, ...(given.port ?? {}) },
    watermark:
      given.watermark === false
        ? false
        : ({ ...(DEFAULTS.watermark || {}), ...(given.watermark ?? {}) } as Config['watermark']),
  };
  if (backstage) {
    config.backstage = {
      files: DEFAULT_BACKSTAGE_FILES,
      identifier: 'name',
      kinds: DEFAULT_BACKSTAGE_KINDS,
      ...backstage,
    };
    // Descriptor files are entity files: discovery, change selection and `check FILES` find them.
    config.include = [...new Set([...config.include, ...config.backstage.files])];
  }
  return config;
}
