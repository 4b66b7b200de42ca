import type { BackstageConfig } from '../backstage/index.js';
import type { AppConfig, Provider } from '../mapping/index.js';

export interface Rule {
  files: string;
  blueprint: string;
}

interface PortSettings {
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
  /** Port's teams as `teams pull` saved them; when the file exists, every `team` must name one. */
  teamsFile: string;
  /** Where `schemas` writes the JSON Schema for editors (repository-relative). */
  editorSchema: string;
  /** The definitions in `blueprintsDir` that are Port's blueprints' desired state: all, or these identifiers. */
  manageBlueprints?: boolean | string[];
  /** How to report a value refused by a rule Port does not document (it may accept it). */
  unverifiedRules: 'error' | 'warning';
  rules: Rule[];
  port: PortSettings;
  deleteRemoved: boolean;
  /** Write the entity's origin (file, commit, repository) into this object property. */
  provenance?: { property: string };
  /** Where a CI sync records the last commit it synced for the branch; `false`: nowhere. */
  watermark: { blueprint: string } | false;
  /** Backstage descriptor files, read as entity files; off unless the config file has `backstage`. */
  backstage?: BackstageConfig;
  /** Port's file-kind mappings, read from the repository's port-app-config.yml (docs/mappings.md). */
  mappings?: { file: string; provider: Provider; appConfig: AppConfig };
}

export interface LoadedConfig {
  config: Config;
  /** Repository-relative path of the file it came from; undefined when defaults apply. */
  path: string | undefined;
}
