import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type Ajv, sharedPortAjv } from '@port-gitops/port-schema';
import { type BackstageConfig, DEFAULT_BACKSTAGE_FILES, DEFAULT_BACKSTAGE_KINDS } from './backstage.js';
import { closest } from './closest.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import { FatalError } from './errors.js';
import { parseJsonSource, parseYamlSource } from './source.js';

export interface Rule {
  files: string;
  blueprint: string;
}

export interface PortSettings {
  baseUrl?: string;
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
}

export interface Config {
  include: string[];
  exclude: string[];
  schema?: string;
  blueprintsDir: string;
  rules: Rule[];
  port: PortSettings;
  deleteRemoved: boolean;
  /** Write the entity's origin (file, commit, repository) into this object property. */
  provenance?: { property: string };
  /** Backstage descriptor files, read as entity files; off unless the config file has `backstage`. */
  backstage?: BackstageConfig;
}

export interface LoadedConfig {
  config: Config;
  /** Repository-relative path of the file it came from; undefined when defaults apply. */
  path: string | undefined;
}

export const DEFAULT_INCLUDE = [
  '**/port.json',
  '**/port.yml',
  '**/port.yaml',
  '**/entity.json',
  '**/*.port.json',
  '**/*.port.yml',
  '**/*.port.yaml',
];

export const CONFIG_FILE_NAMES = ['port-gitops.config.json', 'port-gitops.config.yaml', 'port-gitops.config.yml'];

const DEFAULTS: Config = {
  include: DEFAULT_INCLUDE,
  exclude: [],
  blueprintsDir: '.port/blueprints',
  rules: [],
  port: { concurrency: 8, timeoutMs: 30_000, maxRetries: 5 },
  deleteRemoved: false,
};

const configSchema = CONFIG_SCHEMA as unknown as {
  properties: Record<string, { properties?: Record<string, unknown> }>;
};
let validateConfig: ReturnType<Ajv['compile']> | undefined;

/**
 * Reads `port-gitops.config.{json,yaml,yml}` at the root (or `explicitPath`) and validates it strictly:
 * an unknown key or a wrong type ends the run with an error that names the key, line and column.
 */
export function loadConfig(root: string, explicitPath?: string): LoadedConfig {
  const path = explicitPath
    ? isAbsolute(explicitPath)
      ? explicitPath
      : join(root, explicitPath)
    : CONFIG_FILE_NAMES.map((name) => join(root, name)).find((candidate) => existsSync(candidate));
  if (!path) return { config: structuredClone(DEFAULTS), path: undefined };
  const shown = relative(root, path).split('\\').join('/') || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FatalError(
      'config',
      `cannot read the config file ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const source = path.endsWith('.json') ? parseJsonSource(text) : parseYamlSource(text);
  const firstError = source.errors[0];
  if (firstError)
    throw new FatalError('config', `${shown}:${firstError.line}:${firstError.column}: ${firstError.message}`);
  const data = source.documents[0] ?? {};

  // Port's ajv instance: one instance per run pays ajv's first-compile cost once.
  validateConfig ??= sharedPortAjv().compile(configSchema);
  if (!validateConfig(data)) {
    const lines = (validateConfig.errors ?? []).map((error) => {
      if (error.keyword === 'additionalProperties') {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const pointer = `${error.instancePath}/${key}`;
        const { line, column } = source.locator.locate(pointer, { key: true });
        const known =
          error.instancePath === ''
            ? Object.keys(configSchema.properties)
            : Object.keys(configSchema.properties[error.instancePath.slice(1)]?.properties ?? {});
        const suggestion = closest(key, known);
        return `${shown}:${line}:${column}: unknown key "${pointer.slice(1).replaceAll('/', '.')}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      }
      const { line, column } = source.locator.locate(error.instancePath);
      const key = error.instancePath.slice(1).replaceAll('/', '.') || '(root)';
      return `${shown}:${line}:${column}: "${key}" ${error.message}`;
    });
    throw new FatalError('config', `invalid config file:\n  ${lines.join('\n  ')}`);
  }
  const { backstage, ...given } = data as Omit<Partial<Config>, 'backstage'> & { backstage?: Partial<BackstageConfig> };
  const config: Config = { ...structuredClone(DEFAULTS), ...given, port: { ...DEFAULTS.port, ...(given.port ?? {}) } };
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
  return { config, path: shown };
}
