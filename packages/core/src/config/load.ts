import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type Ajv, type SchemaError, sharedPortAjv } from '@port-gitops/port-schema';
import { type BackstageConfig, DEFAULT_BACKSTAGE_FILES, DEFAULT_BACKSTAGE_KINDS } from '../backstage/index.js';
import { FatalError } from '../errors.js';
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
  if (!path) return { config: structuredClone(DEFAULTS), path: undefined };
  const shown = relative(root, path).split('\\').join('/') || path;
  const source = parseConfig(readConfig(path, shown), path, shown);
  const data = source.documents[0] ?? {};
  validateConfig(data, source, shown);
  checkPaths(root, data as WrittenConfig, source, shown);
  return { config: normalizeConfig(data as WrittenConfig), path: shown };
}

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

const configSchema = CONFIG_SCHEMA as unknown as {
  properties: Record<string, { properties?: Record<string, unknown> }>;
};
let compiled: ReturnType<Ajv['compile']> | undefined;

function validateConfig(data: unknown, source: ParsedSource, shown: string): void {
  // Port's ajv instance: one instance per run pays ajv's first-compile cost once.
  compiled ??= sharedPortAjv().compile(configSchema);
  if (compiled(data)) return;
  const lines = (compiled.errors ?? []).map((error) => `${shown}:${describeConfigError(error, source)}`);
  throw new FatalError('config', `invalid config file:\n  ${lines.join('\n  ')}`);
}

/** `line:column: message` for one schema error in the config file. */
function describeConfigError(error: SchemaError, source: ParsedSource): string {
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const pointer = `${error.instancePath}/${key}`;
    const { line, column } = source.locator.locate(pointer, { key: true });
    const section = error.instancePath === '' ? configSchema : configSchema.properties[error.instancePath.slice(1)];
    const hint = unknownKeyHint(key, Object.keys(section?.properties ?? {}));
    return `${line}:${column}: unknown key "${dottedPath(pointer)}"${hint ? ` (${hint})` : ''}`;
  }
  const { line, column } = source.locator.locate(error.instancePath);
  return `${line}:${column}: "${dottedPath(error.instancePath) || '(root)'}" ${error.message}`;
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

type WrittenConfig = Omit<Partial<Config>, 'backstage'> & { backstage?: Partial<BackstageConfig> };

/** Defaults filled in; a Backstage mapping makes descriptor files entity files. */
function normalizeConfig(written: WrittenConfig): Config {
  const { backstage, ...given } = written;
  const config: Config = {
    ...structuredClone(DEFAULTS),
    ...given,
    port: { ...DEFAULTS.port, ...(given.port ?? {}) },
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
