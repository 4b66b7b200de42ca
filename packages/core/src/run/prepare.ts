import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BLUEPRINT_IDENTIFIER_PATTERN, type Blueprint } from '@port-gitops/port-schema';
import { type Config, loadConfig } from '../config/index.js';
import {
  type Discovery,
  type EntityFileMatcher,
  createEntityFileMatcher,
  discover,
  discoverInParts,
} from '../discover/index.js';
import { FatalError } from '../errors.js';
import {
  type GitChange,
  Git,
  type RepositoryInfo,
  type ResolvedRange,
  describeRepository,
  detectCiBase,
  resolveRange,
} from '../git/index.js';
import type { LoadedFile, Problem, Selection } from '../model.js';
import { type FileResource, filtersOf, parseAppConfig } from '../mapping/index.js';
import {
  type EntityReader,
  type EntityReaderOptions,
  createEntityReader,
  load,
  loadLocalBlueprints,
  loadTeams,
  readForSearch,
} from '../read/index.js';
import {
  type EntityChanges,
  baseBlobsOf,
  diffEntities,
  diffRange,
  selectAll,
  selectChanged,
  selectNamed,
} from '../select/index.js';
import {
  type ValidationResult,
  checkRelationTargets,
  createValidator,
  blueprintsDigest,
  definedInOtherFiles,
  digestRecordedIn,
  OtherFiles,
  relationsToRemoved,
  withProblems,
} from '../validate/index.js';
import { diffBlueprint } from '../plan/index.js';
import { openMapping } from './mapping.js';
import { ReferenceSearch } from './reference-search.js';
import { Events, type RunOptions, type SelectionRequest } from './options.js';

const BLUEPRINT_IDENTIFIER = new RegExp(BLUEPRINT_IDENTIFIER_PATTERN, 'u');

/** Everything the stages before the push produced: what was selected, read and judged. */
export interface PreparedRun {
  repository: RepositoryInfo;
  config: Config;
  blueprints: ReadonlyMap<string, Blueprint>;
  selection: Selection;
  files: LoadedFile[];
  validation: ValidationResult;
  /** For a changed-only selection: what changed entity by entity, and what was removed. */
  changes: EntityChanges | undefined;
  env: NodeJS.ProcessEnv;
  events: Events;
  startedAtMs: number;
}

/** What a run knows before it selects anything: where it is, its repository and its config. */
export interface OpenedRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  events: Events;
  repository: RepositoryInfo;
  config: Config;
  /** The config file read, if any (its change re-validates everything). */
  configFile: string | undefined;
  startedAtMs: number;
}

/** The first stages: the repository around `cwd`, and its config. */
export async function openRun(options: RunOptions): Promise<OpenedRun> {
  const startedAtMs = performance.now();
  const env = options.env ?? process.env;
  if (options.defaultBlueprint !== undefined && !BLUEPRINT_IDENTIFIER.test(options.defaultBlueprint)) {
    throw new FatalError(
      'usage',
      `--blueprint ${JSON.stringify(options.defaultBlueprint)} is not a blueprint identifier`,
      'blueprint identifiers hold letters, digits and @ _ . + : \\ / - only',
    );
  }
  const events = new Events(options.onEvent);
  const cwd = resolve(options.cwd);
  const repository = await describeRepository(cwd, { mergeBaseOf: earlyBase(options.select, env) });
  events.stage('repository');
  const configPath =
    options.configPath && !isAbsolute(options.configPath) ? resolve(cwd, options.configPath) : options.configPath;
  const { config, path: configFile } = loadConfig(repository.root, configPath);
  events.stage('config');
  return { cwd, env, events, repository, config, configFile, startedAtMs };
}

/**
 * The base whose merge-base with HEAD the first git call can ask for: a changed-only run's three-dot
 * base of the checked-out head (`--base`, else the CI's), so that the diff needs no git call of its own
 * before it.
 */
function earlyBase(select: SelectionRequest, env: NodeJS.ProcessEnv): string | undefined {
  if (select.kind !== 'changed' || select.exact || (select.head ?? 'HEAD') !== 'HEAD') return undefined;
  return select.base ?? detectCiBase(env)?.ref;
}

/**
 * discover → select → load → validate (→ diff with base): the stages every command shares, after
 * `openRun` (called here unless the caller opened the run already, as sync does to read its watermark).
 */
export async function prepare(options: RunOptions, opened?: OpenedRun): Promise<PreparedRun> {
  const { cwd, env, events, repository, config, configFile, startedAtMs } = opened ?? (await openRun(options));
  const root = repository.root;
  const git = repository.gitRoot
    ? new Git(root, { debug: (message) => events.emit({ type: 'debug', message }) })
    : undefined;
  // git works out the range and its diff in its own processes while the schemas compile here.
  const range =
    options.select.kind === 'changed' ? startRange(options.select, env, repository, git, config.include) : undefined;
  range?.catch(() => undefined); // awaited in select; this only keeps an early failure from going unhandled
  // A full run's discovery starts now too: git walks the work tree for untracked files while the index
  // is read and the schemas compile.
  const discovery =
    options.select.kind === 'all'
      ? discoverInParts({
          root,
          include: config.include,
          exclude: config.exclude,
          statByOpen: true,
          ...(git ? { git } : {}),
        })
      : undefined;
  discovery?.tracked.catch(() => undefined); // as for the range
  // jq loads and the mappings' filters compile while git works and the blueprints load.
  const mapping = openMapping(config, repository, env);
  mapping.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const blueprints = await loadLocalBlueprints(root, config.blueprintsDir, config.manageBlueprints);
  const stale = staleEditorSchema(root, config.editorSchema, blueprints);
  if (stale) events.emit({ type: 'warning', message: stale });
  events.stage('blueprints');
  const validator = await createValidator({
    root,
    sharedSchemaPath: config.schema,
    blueprints,
    blueprintsDir: config.blueprintsDir,
    strictBlueprints: Boolean(options.strictBlueprints),
    teams: loadTeams(root, config.teamsFile),
    unverifiedRules: config.unverifiedRules,
  });
  const matcher = createEntityFileMatcher({ root, include: config.include, exclude: config.exclude, gitignore: !git });
  const mappingOptions = await mapping;
  for (const message of config.mappings?.appConfig.notes ?? []) events.emit({ type: 'note', message });
  const reader = createEntityReader({
    rules: config.rules,
    defaultBlueprint: options.defaultBlueprint,
    backstage: config.backstage,
    ...(mappingOptions ? { mapping: mappingOptions } : {}),
  });
  events.stage('config and schemas');

  // The search for the files that pull a changed one in also asks what the lookup in the files the run
  // does not load (OtherFiles) asks: where the changed files' relation targets are defined, and which
  // files name an entity the change removes; OtherFiles takes its answer when it asked the same.
  const references = git && range ? new ReferenceSearch(git, root, reader) : undefined;
  const context: SelectContext = {
    root,
    cwd,
    config,
    configFile,
    repository,
    git,
    range,
    discovery,
    reader,
    matcher,
    references,
  };
  // git reads the changed files' base versions while this thread loads and validates the head's, unless
  // the search for files pulled in read them already.
  let baseBlobs: Promise<Map<string, string>> | undefined;
  const { selection, files } = await selectAndLoad(options.select, context, events, (selected) => {
    if (selected.mode === 'changed' && git) {
      const shas = baseBlobsOf(selected);
      const read = references?.baseBlobsRead(shas);
      baseBlobs = read ? Promise.resolve(read) : git.blobs(shas);
      baseBlobs.catch(() => undefined); // awaited in diffEntities; this only keeps a failure from going unhandled
    }
    return load(selected, { root, reader, blueprints });
  });
  const checked = validator.validate(files);
  events.stage('validate');
  const changes =
    selection.mode === 'changed' && git
      ? await diffEntities(selection, files, {
          readBlobs: async (shas) => {
            const started = await baseBlobs;
            return started && shas.every((sha) => started.has(sha)) ? started : git.blobs(shas);
          },
          reader,
          invalidFiles: checked.invalidFiles,
          ...(await remappedAtBase(git, selection, config, mappingOptions, events)),
        })
      : undefined;
  events.stage('diff with base');
  // A changed-only run loaded the changed files only: it checks the targets the change adds, and the
  // relations other files keep to the entities it removes, with one search of the other files. The files
  // that name a removed entity are read as the search finds them, while git searches on.
  const mentioning = new MentioningFiles(
    (paths) => load(unchangedFiles(paths, selection), { root, reader, blueprints }),
    (path) => reader.resourcesOf(path).length > 0,
  );
  const others =
    changes && git
      ? new OtherFiles(
          git,
          {
            root,
            include: config.include,
            matcher,
            loaded: files,
            reader,
            ...(mappingOptions ? { mappedElsewhere: once(() => mappedKeys(root, config, git, reader, files)) } : {}),
            onMentioning: (paths) => mentioning.readAhead(paths),
            ...(references?.carried ? { carried: references.carried } : {}),
          },
          changes.removed,
        )
      : undefined;
  const relationProblems = await checkRelationTargets(files, {
    blueprints,
    strict: Boolean(options.strictRelations),
    ...(changes && others ? { changes, findElsewhere: (keys) => definedInOtherFiles(others, keys) } : {}),
  });
  const toRemoved =
    changes && others && changes.removed.length > 0
      ? await relationsToRemoved(
          others,
          { blueprints, strict: Boolean(options.strictRelations) },
          changes.removed,
          (paths) => mentioning.read(paths),
        )
      : [];
  const validation = withProblems(checked, files, [...relationProblems, ...toRemoved]);
  nameMappingOrigins(files, validation.problems);
  events.stage('relation targets');
  if (git && selection.mode === 'changed' && selection.base) {
    selection.notes.push(...(await blueprintChangeNotes(git, selection, config.blueprintsDir, root)));
  }
  for (const message of selection.notes) events.emit({ type: 'note', message });
  return { repository, config, blueprints, selection, files, validation, changes, env, events, startedAtMs };
}

interface SelectContext {
  root: string;
  cwd: string;
  config: Config;
  configFile: string | undefined;
  repository: RepositoryInfo;
  git: Git | undefined;
  range: Promise<StartedRange> | undefined;
  /** A full run's discovery, started with the run. */
  discovery: ReturnType<typeof discoverInParts> | undefined;
  reader: EntityReader;
  matcher: EntityFileMatcher;
  /** A changed-only run's search for the files that pull a changed one in. */
  references: ReferenceSearch | undefined;
}

interface StartedRange {
  range: ResolvedRange;
  /** The diff, for a range that resolved. */
  changes?: GitChange[];
}

/** Resolves the compared range, and diffs it, as soon as the repository is known. */
async function startRange(
  request: Extract<SelectionRequest, { kind: 'changed' }>,
  env: NodeJS.ProcessEnv,
  repository: RepositoryInfo,
  git: Git | undefined,
  include: string[],
): Promise<StartedRange> {
  const ci = request.base ? undefined : detectCiBase(env);
  if (!request.base && !ci) {
    throw new FatalError(
      'usage',
      'no selection: say which entity files to use',
      'pass --all for every entity file, or --base REF for the files changed since REF (in CI the base is found from the environment)',
    );
  }
  if (!git) {
    throw new FatalError(
      'git',
      `${repository.root} is not in a git repository, so nothing can be compared`,
      'use --all',
    );
  }
  const range = await resolveRange(git, {
    base: request.base,
    exact: Boolean(request.exact),
    head: request.head ?? 'HEAD',
    checkedOut: repository.head,
    knownMergeBase: repository.mergeBase,
    ci,
    fallbackAll: Boolean(request.fallbackAll),
  });
  if (range.kind === 'all') return { range };
  return {
    range,
    changes: await diffRange(git, range.mergeBase, range.head, Boolean(request.includeUncommitted), include),
  };
}

/**
 * select → load. A full run (every file, or a changed-only run that fell back to every file) reads the
 * files git's index lists while git walks the work tree for the untracked ones: on a large repository the
 * walk is the longest single step, and the two need not wait for each other. The result is the same as
 * selecting everything, then loading it.
 */
async function selectAndLoad(
  request: SelectionRequest,
  context: SelectContext,
  events: Events,
  loadSelected: (selection: Selection) => LoadedFile[],
): Promise<{ selection: Selection; files: LoadedFile[] }> {
  const everything = async (head: string | null, notes: string[] = []) => {
    const { root, config, git } = context;
    const parts =
      context.discovery ??
      discoverInParts({
        root,
        include: config.include,
        exclude: config.exclude,
        statByOpen: true,
        ...(git ? { git } : {}),
      });
    const listed = selectAll(await parts.tracked, head, notes);
    events.stage('select');
    const { selection: tracked, files } = await settleUnread(
      listed,
      loadSelected(listed),
      parts.recheckTracked,
      loadSelected,
    );
    const untracked = selectAll(await parts.untracked, head);
    files.push(...loadSelected(untracked));
    events.stage('load');
    return { selection: mergeSelections(tracked, untracked), files: files.sort(byPath) };
  };
  if (request.kind === 'all') return everything(context.repository.head);
  let selection: Selection;
  if (request.kind === 'files') {
    selection = await selectFiles(request.paths, context);
  } else {
    const { range, changes } = await context.range!;
    if (range.kind === 'all') return everything(range.head, [range.reason]);
    const { root, config, git } = context;
    selection = await selectChanged({
      git: git!,
      root,
      mergeBase: range.mergeBase,
      head: range.head,
      includeUncommitted: Boolean(request.includeUncommitted),
      matcher: context.matcher,
      include: config.include,
      reader: context.reader,
      blueprintsDir: config.blueprintsDir,
      revalidateOn: [context.configFile, config.schema, config.mappings?.file].filter(
        (path): path is string => path !== undefined,
      ),
      discoverAll: () => discover({ root, include: config.include, exclude: config.exclude, ...(git ? { git } : {}) }),
      notes: range.note ? [range.note] : [],
      ...(changes ? { changes } : {}),
      ...(context.references ? { searchReferences: context.references.search } : {}),
    });
  }
  events.stage('select');
  const files = loadSelected(selection);
  events.stage('load');
  return { selection, files };
}

/**
 * Discovery left each tracked file to be looked at by its reading (`statByOpen`): one that could not be
 * read is looked at now, and the selection and what was loaded become what they are when discovery looks
 * first. A file gone from the work tree is dropped; a link or a folder in its place is refused. A file that
 * is there and still cannot be read (too large, not readable) keeps its problem.
 */
async function settleUnread(
  selection: Selection,
  files: LoadedFile[],
  recheck: (paths: string[]) => Promise<Discovery>,
  loadSelected: (selection: Selection) => LoadedFile[],
): Promise<{ selection: Selection; files: LoadedFile[] }> {
  const selected = new Set(selection.files.map((file) => file.path));
  const unread = files.filter((file) => selected.has(file.path) && file.unread !== undefined).map((file) => file.path);
  if (unread.length === 0) return { selection, files };
  const found = await recheck(unread);
  const stillFiles = new Set(found.files.map((file) => file.path));
  const notFiles = new Set(unread.filter((path) => !stillFiles.has(path)));
  if (notFiles.size === 0) return { selection, files };
  const settled: Selection = {
    ...selection,
    files: selection.files.filter((file) => !notFiles.has(file.path)),
    refused: [...selection.refused, ...found.refused].sort(byPath),
  };
  const refusals = loadSelected({ ...settled, files: [], refused: found.refused });
  return { selection: settled, files: [...files.filter((file) => !notFiles.has(file.path)), ...refusals] };
}

/** Two selections of every file (the tracked part and the untracked part) as one. */
function mergeSelections(a: Selection, b: Selection): Selection {
  return {
    ...a,
    files: [...a.files, ...b.files].sort(byPath),
    notes: [...a.notes, ...b.notes],
    skipped: [...a.skipped, ...b.skipped].sort(byPath),
    refused: [...a.refused, ...b.refused].sort(byPath),
  };
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The files named on the command line, as repository paths; git says which it counts in the work tree. */
async function selectFiles(named: string[], context: SelectContext): Promise<Selection> {
  const { root, config, git, matcher } = context;
  const paths = named.map((path) => relative(root, resolve(context.cwd, path)).split(sep).join('/'));
  const known = git ? await git.known(paths.filter((path) => !path.startsWith('../'))) : undefined;
  return selectNamed(named, {
    root,
    cwd: context.cwd,
    head: context.repository.head,
    matcher,
    include: config.include,
    ...(known ? { known } : {}),
  });
}

/**
 * Files read by `load`, some of them ahead of being asked for: `read` gives each path's file as a `load`
 * of them all at once would (in path order), from those read ahead or read now. Files a mapping matches
 * (`mapped`) are left to `read`, which maps them together.
 */
class MentioningFiles {
  private readonly ahead = new Map<string, LoadedFile>();

  constructor(
    private readonly loadFiles: (paths: string[]) => LoadedFile[],
    private readonly mapped: (path: string) => boolean,
  ) {}

  /** Called from git's output handler: a failure here is left to `read`, which meets it again and throws. */
  readAhead(paths: string[]): void {
    try {
      for (const file of this.loadFiles(paths.filter((path) => !this.mapped(path)))) this.ahead.set(file.path, file);
    } catch {
      // `read` loads these paths itself.
    }
  }

  read(paths: string[]): LoadedFile[] {
    const rest = this.loadFiles(paths.filter((path) => !this.ahead.has(path)));
    const ready = paths.flatMap((path) => this.ahead.get(path) ?? []);
    return [...ready, ...rest].sort(byPath);
  }
}

/** Files read for what they say of others, not selected: they are neither checked nor pushed. */
function unchangedFiles(paths: string[], selection: Selection): Selection {
  return {
    ...selection,
    files: paths.map((path) => ({ path, status: 'unchanged' })),
    skipped: [],
    refused: [],
  };
}

/**
 * A warning when the repository keeps a schema for editors (`schemas`) made from other blueprints than
 * these: editors would check entity files against rules that no longer hold. Nothing when there is none.
 */
function staleEditorSchema(root: string, path: string, blueprints: ReadonlyMap<string, Blueprint>): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
  const recorded = digestRecordedIn(text);
  if (recorded === undefined || recorded === blueprintsDigest(blueprints)) return undefined;
  return `warning: ${path} was made from other blueprint definitions than those in the repository, so editors check entity files against old rules; run \`port-gitops schemas\` and commit it`;
}

/**
 * A problem with a value a file-kind mapping made names the filter that made it (its line and column in
 * the app config), beside the file it came from: the value may be wrong in either.
 */
function nameMappingOrigins(files: LoadedFile[], problems: Problem[]): void {
  const mapped = new Map(files.filter((file) => file.mapped).map((file) => [file.path, file]));
  if (mapped.size === 0) return;
  for (const problem of problems) {
    if (problem.code === 'mapping') continue;
    const origin = mapped.get(problem.file)?.locator.origin?.(problem.pointer);
    if (origin)
      problem.hint = `${problem.hint ? `${problem.hint}; ` : ''}the value comes from the mapping at ${origin}`;
  }
}

/**
 * When the change edits the port-app-config.yml itself: the mappings as they were at the base commit, to
 * compare each mapped file with what they made of it there (`diffEntities`). Nothing when the mappings did
 * not change; a note when the base's cannot be used (missing, not parsing, a filter jq refuses).
 */
async function remappedAtBase(
  git: Git,
  selection: Selection,
  config: Config,
  mapping: EntityReaderOptions['mapping'],
  events: Events,
): Promise<{ remapped?: { base: string; reader: EntityReader } }> {
  const file = config.mappings?.file;
  if (!file || !mapping || !selection.base || !selection.changedPaths.has(file)) return {};
  const name = `${selection.base}:${file}`;
  const text = (await git.blobs([name])).get(name);
  let resources: FileResource[] = [];
  if (text !== undefined) {
    try {
      resources = parseAppConfig(text, file, config.mappings!.provider).resources;
    } catch (error) {
      events.emit({
        type: 'note',
        message: `${file} at base cannot be read (${(error as Error).message}): what it made there is not compared`,
      });
      return {};
    }
    if (mapping.context.engine.firstCompileError(resources.flatMap(filtersOf).map(({ filter }) => filter.jq))) {
      events.emit({
        type: 'note',
        message: `${file} at base has a filter jq refuses: what it made there is not compared`,
      });
      return {};
    }
  }
  const reader = createEntityReader({
    rules: config.rules,
    backstage: config.backstage,
    mapping: { resources, context: mapping.context },
  });
  return { remapped: { base: selection.base, reader } };
}

/**
 * For a change that edits blueprint definitions in `blueprintsDir`: a note for each change it makes to
 * a definition, key by key, classed safe, breaking, destructive or blocked (`diffBlueprint`) against the
 * definition at base. A reviewer sees what merging does to the data model.
 */
async function blueprintChangeNotes(git: Git, selection: Selection, dir: string, root: string): Promise<string[]> {
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  const paths = [...selection.changedPaths].filter((path) => path.startsWith(prefix) && path.endsWith('.json')).sort();
  if (paths.length === 0) return [];
  const names = paths.map((path) => `${selection.base}:${path}`);
  const before = await git.blobs(names);
  const notes: string[] = [];
  for (const [i, path] of paths.entries()) {
    const parse = (text: string | undefined) => {
      try {
        return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        return undefined;
      }
    };
    const was = parse(before.get(names[i]!));
    let now: Record<string, unknown> | undefined;
    try {
      now = parse(readFileSync(join(root, path), 'utf8'));
    } catch {
      now = undefined;
    }
    const identifier = String(now?.identifier ?? was?.identifier ?? path.slice(prefix.length, -'.json'.length));
    for (const c of diffBlueprint(identifier, was, now)) {
      notes.push(`blueprint ${identifier} (${path}): ${c.class}: ${c.path || 'the blueprint'}: ${c.reason}`);
    }
  }
  return notes;
}

/** `make()`, called the first time the result is asked for and kept. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/**
 * The `blueprint\0identifier` keys the file-kind mappings make of the files a changed-only run did not
 * load: each file their globs match, read and mapped in one jq run per resource.
 */
async function mappedKeys(
  root: string,
  config: Config,
  git: Git,
  reader: EntityReader,
  loaded: LoadedFile[],
): Promise<Set<string>> {
  const seen = new Set(loaded.map((file) => file.path));
  const globs = config.mappings?.appConfig.resources.flatMap((resource) => resource.paths) ?? [];
  const found = await discover({ root, include: globs, exclude: config.exclude, git });
  const files = found.files
    .filter((file) => !seen.has(file.path))
    .map((file) => ({ path: file.path, text: readForSearch(root, file.path) }));
  const keys = new Set<string>();
  for (const results of reader.mapFiles(files).values()) {
    for (const result of results) {
      for (const { data } of result.entities) {
        if (typeof data.blueprint === 'string' && typeof data.identifier === 'string') {
          keys.add(`${data.blueprint}\u0000${data.identifier}`);
        }
      }
    }
  }
  return keys;
}
