import { resolve } from 'node:path';
import type { RunEvent, RunOptions, SelectionRequest } from '@port-gitops/core';
import { FatalError } from '@port-gitops/core/outcome';
import type { Argv } from 'yargs';
import { REGION_BASE_URLS, type Region } from '../target.js';

/** Flags shared by sync, check, plan and list. */
export interface SelectionFlags {
  cwd?: string;
  config?: string;
  all?: boolean;
  base?: string;
  head: string;
  includeUncommitted?: boolean;
  fallbackAll?: boolean;
  blueprint?: string;
  strictRelations?: boolean;
  strictBlueprints?: boolean;
  /** `check FILES...`: exactly these files (a pre-commit hook passes the staged ones). */
  files?: string[];
}

/** Where Port is, for every command that talks to it. */
export interface TargetFlags {
  baseUrl?: string;
  region?: Region;
  concurrency?: number;
}

/** Options of every command that reads entity files. */
export function withSelectionOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('all', { type: 'boolean', describe: 'Select every discovered entity file (full resync)' })
    .option('base', {
      type: 'string',
      describe: 'Select the files changed since this git ref (merge-base with --head)',
    })
    .option('head', {
      type: 'string',
      describe: 'The head of the compared range (must be checked out)',
      default: 'HEAD',
    })
    .option('include-uncommitted', {
      type: 'boolean',
      default: false,
      describe: "With --base: also the working tree's uncommitted and untracked changes",
    })
    .option('fallback-all', {
      type: 'boolean',
      default: false,
      describe: 'Select every file when the base cannot be resolved, instead of exit 3',
    })
    .option('strict-relations', {
      type: 'boolean',
      default: false,
      describe: 'A relation to an entity no file defines is an error, not a warning',
    })
    .option('strict-blueprints', {
      type: 'boolean',
      default: false,
      describe: 'An entity of a blueprint with no definition in blueprintsDir is an error, not a warning',
    })
    .option('blueprint', { type: 'string', describe: 'Blueprint of entities that name none and match no config rule' })
    .option('format', {
      choices: ['text', 'json'] as const,
      default: 'text' as const,
      describe: 'json: the JSON report on stdout, nothing else',
    })
    .option('report', { type: 'string', describe: 'Also write the JSON report to this file' })
    .option('junit', {
      type: 'string',
      describe: 'Also write a JUnit XML report (a test case per entity file) to this file',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'Print only problems and the summary' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Also print every entity and its result' });
}

/** Where Port is, for every command that talks to it (credentials come from the environment only). */
export function withTargetOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('base-url', {
      type: 'string',
      describe: 'Port API base URL (or PORT_BASE_URL, or config port.baseUrl); http only on loopback',
    })
    .option('region', {
      choices: Object.keys(REGION_BASE_URLS) as Region[],
      describe: 'Port region when no base URL is given (default eu)',
    });
}

/** The selection flags as the options of a run. */
export function runOptions(
  flags: SelectionFlags,
  env: NodeJS.ProcessEnv,
  onEvent: (event: RunEvent) => void,
): RunOptions {
  return {
    cwd: flags.cwd ? resolve(flags.cwd) : process.cwd(),
    ...(flags.config !== undefined ? { configPath: flags.config } : {}),
    select: selectionOf(flags),
    ...(flags.blueprint !== undefined ? { defaultBlueprint: flags.blueprint } : {}),
    strictRelations: Boolean(flags.strictRelations),
    strictBlueprints: Boolean(flags.strictBlueprints),
    env,
    onEvent,
  };
}

function selectionOf(flags: SelectionFlags): SelectionRequest {
  if (flags.files && flags.files.length > 0) {
    if (flags.all || flags.base) throw new FatalError('usage', 'name files, or pass --all or --base, not both');
    // Named files are relative to the folder the command runs in, whatever --cwd says.
    return { kind: 'files', paths: flags.files.map((path) => resolve(path)) };
  }
  if (flags.all) {
    if (flags.base) throw new FatalError('usage', '--all and --base select differently: give one of them');
    return { kind: 'all' };
  }
  return {
    kind: 'changed',
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    head: flags.head,
    includeUncommitted: Boolean(flags.includeUncommitted),
    fallbackAll: Boolean(flags.fallbackAll),
  };
}
