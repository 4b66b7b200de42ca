import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  type Config,
  type EntityChanges,
  type EntityReader,
  type LoadedFile,
  type RepositoryInfo,
  type Selection,
  type ValidationResult,
  FatalError,
  Git,
  type UpsertOperation,
  planUpserts,
  repositoryId,
  type GitChange,
  type ResolvedRange,
  diffRange,
  checkRelationTargets,
  definedInOtherFiles,
  withProblems,
  createEntityReader,
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
  strictRelations?: boolean;
  /** `check FILES...`: exactly these files (a pre-commit hook passes the staged ones). */
  files?: string[];
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
  const time = stageTimer(env.PORT_GITOPS_TIMINGS === '1');
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const repository = await describeRepository(cwd);
  const root = repository.root;
  const git = repository.gitRoot ? new Git(root) : undefined;
  // git works out the range and its diff in its own processes while the config is read and the
  // schemas compile here.
  const named = args.files && args.files.length > 0;
  const range = args.all || named ? undefined : startRange(args, env, repository, git);
  range?.catch(() => undefined); // awaited in select; this only keeps an early failure from going unhandled
  time('repository');
  const { config, path: configPath } = loadConfig(
    root,
    args.config && !isAbsolute(args.config) ? resolve(cwd, args.config) : args.config,
  );
  time('config');
  const blueprints = await loadLocalBlueprints(root, config.blueprintsDir);
  time('blueprints');
  const validator = createValidator({ root, sharedSchemaPath: config.schema, blueprints });
  const discoverAll = () => discover({ root, include: config.include, exclude: config.exclude });
  const reader = createEntityReader({
    rules: config.rules,
    defaultBlueprint: args.blueprint,
    backstage: config.backstage,
  });
  time('config and schemas');

  const selection = await select(args, { root, config, configPath, repository, git, discoverAll, range, reader });
  time('select');
  const files = load(selection, { root, reader, blueprints });
  time('load');
  const checked = validator.validate(files);
  time('validate');
  const changes =
    selection.mode === 'changed' && git
      ? await diffEntities(selection, files, {
          readBlobs: (shas) => git.blobs(shas),
          reader,
          invalidFiles: checked.invalidFiles,
        })
      : undefined;
  time('diff with base');
  const relationProblems = await checkRelationTargets(files, {
    blueprints,
    strict: Boolean(args.strictRelations),
    // A changed-only run loaded the changed files only: it checks the targets the change adds, and
    // looks for them in the other files with git grep.
    ...(changes && git
      ? {
          changes,
          findElsewhere: (keys) =>
            definedInOtherFiles(
              git,
              { root, include: config.include, exclude: config.exclude, loaded: files, reader },
              keys,
            ),
        }
      : {}),
  });
  const validation = withProblems(checked, files, relationProblems);
  time('relation targets');
  return { repository, config, selection, files, validation, changes };
}

interface SelectContext {
  root: string;
  config: Config;
  configPath: string | undefined;
  repository: RepositoryInfo;
  git: Git | undefined;
  discoverAll: () => ReturnType<typeof discover>;
  range: Promise<StartedRange> | undefined;
  reader: EntityReader;
}

interface StartedRange {
  range: ResolvedRange;
  /** The diff, for a range that resolved. */
  changes?: GitChange[];
}

/** Resolves the compared range, and diffs it, as soon as the repository is known. */
async function startRange(
  args: SelectionArgs,
  env: NodeJS.ProcessEnv,
  repository: RepositoryInfo,
  git: Git | undefined,
): Promise<StartedRange> {
  const ci = args.base ? undefined : detectCiBase(env);
  if (!args.base && !ci) {
    throw new FatalError(
      'usage',
      'no selection: say which entity files to use',
      'pass --all for every entity file, or --base REF for the files changed since REF (in CI the base is found from the environment)',
    );
  }
  if (!git)
    throw new FatalError(
      'git',
      `${repository.root} is not in a git repository, so nothing can be compared`,
      'use --all',
    );
  const range = await resolveRange(git, {
    base: args.base,
    head: args.head,
    checkedOut: repository.head,
    ci,
    fallbackAll: Boolean(args.fallbackAll),
  });
  if (range.kind === 'all') return { range };
  return { range, changes: await diffRange(git, range.mergeBase, range.head, Boolean(args.includeUncommitted)) };
}

async function select(args: SelectionArgs, context: SelectContext): Promise<Selection> {
  if (args.files && args.files.length > 0) {
    if (args.all || args.base) throw new FatalError('usage', 'name files, or pass --all or --base, not both');
    return selectNamed(args.files, context);
  }
  if (args.all) {
    if (args.base) throw new FatalError('usage', '--all and --base select differently: give one of them');
    return selectAll(await context.discoverAll(), context.repository.head);
  }
  const { range, changes } = await context.range!;
  if (range.kind === 'all') return selectAll(await context.discoverAll(), range.head, [range.reason]);
  return selectChanged({
    git: context.git!,
    root: context.root,
    mergeBase: range.mergeBase,
    head: range.head,
    includeUncommitted: Boolean(args.includeUncommitted),
    isEntityFile: createEntityFileFilter(context.root, context.config.include, context.config.exclude),
    include: context.config.include,
    reader: context.reader,
    revalidateOn: [context.configPath, context.config.schema].filter((path): path is string => path !== undefined),
    discoverAll: context.discoverAll,
    notes: range.note ? [range.note] : [],
    ...(changes ? { changes } : {}),
  });
}

/**
 * The files named on the command line that are entity files (include, exclude, .gitignore), as
 * repository-relative paths; a pre-commit hook passes every staged file its pattern matches.
 */
function selectNamed(paths: string[], context: SelectContext): Selection {
  const isEntityFile = createEntityFileFilter(context.root, context.config.include, context.config.exclude);
  const files = [...new Set(paths.map((path) => relative(context.root, resolve(path)).split(sep).join('/')))]
    .filter((path) => !path.startsWith('../') && isEntityFile(path))
    .sort()
    .map((path) => ({ path, status: 'modified' as const }));
  return {
    mode: 'changed',
    base: null,
    head: context.repository.head,
    files,
    changedPaths: new Set(files.map((f) => f.path)),
    notes: [],
  };
}

/** `PORT_GITOPS_TIMINGS=1`: how long each stage took, on stderr, to see where a slow run spends its time. */
function stageTimer(enabled: boolean): (stage: string) => void {
  let last = performance.now();
  if (enabled) process.stderr.write(`timing: pipeline starts ${Math.round(last)} ms after start\n`);
  return (stage) => {
    if (!enabled) return;
    const now = performance.now();
    process.stderr.write(`timing: ${stage} ${Math.round(now - last)} ms\n`);
    last = now;
  };
}

/**
 * The upserts of a run: the valid entities (of a changed-only run, those that changed), with their
 * origin written into the config's `provenance` property when it names one.
 */
export async function plannedUpserts(loaded: Loaded, env: NodeJS.ProcessEnv): Promise<UpsertOperation[]> {
  const { changes, validation, config, repository } = loaded;
  const entities = changes ? validation.valid.filter((entity) => changes.changed.has(entity)) : validation.valid;
  const provenance = config.provenance
    ? { property: config.provenance.property, commit: repository.head, repository: await repositoryId(repository, env) }
    : undefined;
  return planUpserts(entities, provenance);
}
