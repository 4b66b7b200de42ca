import { isAbsolute, resolve } from 'node:path';
import {
  type Config,
  type LoadedFile,
  type RepositoryInfo,
  type Selection,
  type ValidationResult,
  FatalError,
  createValidator,
  describeRepository,
  discover,
  load,
  loadConfig,
  loadLocalBlueprints,
  selectAll,
} from '@port-gitops/core';

/** Flags shared by sync, check, plan and list. */
export interface SelectionArgs {
  cwd?: string;
  config?: string;
  all?: boolean;
  base?: string;
  head?: string;
  blueprint?: string;
}

export interface Loaded {
  repository: RepositoryInfo;
  config: Config;
  selection: Selection;
  files: LoadedFile[];
  validation: ValidationResult;
}

/** discover → select → load → validate: the stages every command shares. */
export async function discoverAndValidate(args: SelectionArgs): Promise<Loaded> {
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const repository = await describeRepository(cwd);
  const root = repository.root;
  const { config } = loadConfig(root, args.config && !isAbsolute(args.config) ? resolve(cwd, args.config) : args.config);
  const blueprints = await loadLocalBlueprints(root, config.blueprintsDir);
  const validator = createValidator({ root, sharedSchemaPath: config.schema, blueprints });

  const files = await discover({ root, include: config.include, exclude: config.exclude });
  const selection = select(args, files, repository);
  const loaded = await load(selection, { root, rules: config.rules, defaultBlueprint: args.blueprint, blueprints });
  const validation = validator.validate(loaded);
  return { repository, config, selection, files: loaded, validation };
}

function select(args: SelectionArgs, files: Awaited<ReturnType<typeof discover>>, repository: RepositoryInfo): Selection {
  if (args.all) return selectAll(files, repository.head);
  if (args.base) {
    throw new FatalError('usage', 'changed-only selection (--base) is not available in this version', 'use --all to select every entity file');
  }
  throw new FatalError('usage', 'no selection: say which entity files to use', 'pass --all for every entity file, or --base REF for the files changed since REF');
}
