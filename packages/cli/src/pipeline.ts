import { isAbsolute, resolve } from 'node:path';
import {
  type Config,
  type EntityChanges,
  type LoadedFile,
  type RepositoryInfo,
  type Selection,
  type ValidationResult,
  FatalError,
  Git,
  createBlueprintResolver,
  createEntityFileFilter,
  createValidator,
  describeRepository,
  detectCiBase,
  diffEntities,
  discover,
  load,
  loadConfig,
  loadLocalBlueprints,
  resolveRange,
  selectAll,
  selectChanged,
} from '@port-gitops/core';

/** Flags shared by sync, check, plan and list. */
export interface SelectionArgs {
  cwd?: string;
  config?: string;
  all?: boolean;
  base?: string;
  head: string;
  includeUncommitted?: boolean;
  fallbackAll?: boolean;
  blueprint?: string;
}

export interface Loaded {
  repository: RepositoryInfo;
  config: Config;
  selection: Selection;
  files: LoadedFile[];
  validation: ValidationResult;
  /** For a changed-only selection: what changed entity by entity, and what was removed. */
  changes: EntityChanges | undefined;
}

/** discover → select → load → validate (→ diff with base): the stages every command shares. */
export async function discoverAndValidate(args: SelectionArgs, env: NodeJS.ProcessEnv = process.env): Promise<Loaded> {
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const repository = await describeRepository(cwd, env);
  const root = repository.root;
  const { config, path: configPath } = loadConfig(root, args.config && !isAbsolute(args.config) ? resolve(cwd, args.config) : args.config);
  const blueprints = await loadLocalBlueprints(root, config.blueprintsDir);
  const validator = createValidator({ root, sharedSchemaPath: config.schema, blueprints });
  const discoverAll = () => discover({ root, include: config.include, exclude: config.exclude });

  const git = repository.gitRoot ? new Git(root) : undefined;
  const selection = await select(args, env, { root, config, configPath, repository, git, discoverAll });
  const files = await load(selection, { root, rules: config.rules, defaultBlueprint: args.blueprint, blueprints });
  const validation = validator.validate(files);
  const changes =
    selection.mode === 'changed' && git
      ? await diffEntities(selection, files, {
          readBlobs: (shas) => git.blobs(shas),
          blueprintOf: createBlueprintResolver(config.rules, args.blueprint),
          invalidFiles: validation.invalidFiles,
        })
      : undefined;
  return { repository, config, selection, files, validation, changes };
}

interface SelectContext {
  root: string;
  config: Config;
  configPath: string | undefined;
  repository: RepositoryInfo;
  git: Git | undefined;
  discoverAll: () => ReturnType<typeof discover>;
}

async function select(args: SelectionArgs, env: NodeJS.ProcessEnv, context: SelectContext): Promise<Selection> {
  if (args.all) {
    if (args.base) throw new FatalError('usage', '--all and --base select differently: give one of them');
    return selectAll(await context.discoverAll(), context.repository.head);
  }
  const ci = args.base ? undefined : detectCiBase(env);
  if (!args.base && !ci) {
    throw new FatalError('usage', 'no selection: say which entity files to use', 'pass --all for every entity file, or --base REF for the files changed since REF (in CI the base is found from the environment)');
  }
  if (!context.git) throw new FatalError('git', `${context.root} is not in a git repository, so nothing can be compared`, 'use --all');

  const range = await resolveRange(context.git, { base: args.base, head: args.head, checkedOut: context.repository.head, ci, fallbackAll: Boolean(args.fallbackAll) });
  if (range.kind === 'all') return selectAll(await context.discoverAll(), range.head, [range.reason]);
  return selectChanged({
    git: context.git,
    root: context.root,
    mergeBase: range.mergeBase,
    head: range.head,
    includeUncommitted: Boolean(args.includeUncommitted),
    isEntityFile: createEntityFileFilter(context.root, context.config.include, context.config.exclude),
    include: context.config.include,
    revalidateOn: [context.configPath, context.config.schema].filter((path): path is string => path !== undefined),
    discoverAll: context.discoverAll,
    notes: range.note ? [range.note] : [],
  });
}
