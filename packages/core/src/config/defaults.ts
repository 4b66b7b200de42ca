import type { Config } from './types.js';

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

export const DEFAULTS: Config = {
  include: DEFAULT_INCLUDE,
  exclude: [],
  blueprintsDir: '.port/blueprints',
  teamsFile: '.port/teams.json',
  editorSchema: '.port/entity-files.schema.json',
  unverifiedRules: 'error',
  rules: [],
  port: { concurrency: 8, timeoutMs: 30_000, maxRetries: 5 },
  deleteRemoved: false,
  watermark: { blueprint: 'port_gitops_sync' },
};
