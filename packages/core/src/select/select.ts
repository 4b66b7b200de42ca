import { type Discovery, type EntityFileMatcher, entityPathspecs, nameFilter } from '../discover/index.js';
import { GITLINK_MODE, type Git, type GitChange, type MatchingLine, SYMLINK_MODE } from '../git/index.js';
import type { FileNote, SelectedFile, Selection } from '../model.js';
import { type EntityReader, readForSearch } from '../read/index.js';

/** A symbolic link is never read as an entity file, whatever selected it. */
export const SYMLINK_REFUSAL =
  'a symbolic link (entity files must be regular files inside the repository; links are never followed)';

/** A full resync: every discovered file. */
export function selectAll(discovery: Discovery, head: string | null, notes: string[] = []): Selection {
  return {
    mode: 'all',
    base: null,
    head,
    files: discovery.files.map((file) => ({
      path: file.path,
      status: 'all',
      ...(file.noLeadingSymlink ? { noLeadingSymlink: true } : {}),
    })),
    changedPaths: new Set(),
    notes: [...notes, ...discovery.notes],
    skipped: discovery.skipped,
    refused: discovery.refused,
  };
}

export interface ChangedSelectionOptions {
  git: Git;
  root: string;
  mergeBase: string;
  head: string;
  /** Compare with the working tree (and its untracked files) instead of the head commit. */
  includeUncommitted: boolean;
  matcher: EntityFileMatcher;
  include: string[];
  /** For the files that pull in a changed one. */
  reader: EntityReader;
  /** Paths whose change re-validates every entity file: the config file, the shared schema, the mappings. */
  revalidateOn: string[];
  /**
   * The folder of blueprint definitions: a changed definition (`<id>.json`) re-validates every entity file
   * too, so that the files a blueprint change breaks say so, though the change did not touch them.
   */
  blueprintsDir?: string;
  /** Every entity file; called only when everything must be re-validated. */
  discoverAll: () => Promise<Discovery>;
  notes?: string[];
  /** The diff, when the caller already started it (see `diffRange`). */
  changes?: GitChange[];
  /**
   * Searches the entity files (`pathspecs`) for the lines that hold one of `markers` (fixed strings), given
   * the entity files the change touches; by default one git grep of the markers. A run may ask the same
   * search more of the same files (prepare.ts), but gives back only the lines that hold a marker.
   */
  searchReferences?: (markers: string[], pathspecs: string[], changed: SelectedFile[]) => Promise<MatchingLine[]>;
}

/** The change between the merge-base and the head (or the working tree), with untracked files when asked. */
export async function diffRange(
  git: Git,
  mergeBase: string,
  head: string,
  includeUncommitted: boolean,
  include: string[],
): Promise<GitChange[]> {
  const changes = await git.diff(mergeBase, includeUncommitted ? undefined : head, nameFilter(include));
  if (includeUncommitted) {
    const tracked = new Set(changes.map((change) => change.path));
    for (const path of await git.untracked()) if (!tracked.has(path)) changes.push({ status: 'added', path });
  }
  return changes;
}

/**
 * The entity files a change touches, read from git rather than the whole tree:
 * - added, modified and renamed entity files (a rename across the include globs counts as an
 *   addition or a deletion), and deleted ones, whose entities are read from the base;
 * - unchanged entity files that pull in a changed file (`file://`, Backstage substitutions);
 * - when the config file, the shared schema, the mappings or a blueprint definition changed, every entity
 *   file, to be re-validated.
 * Changed files matching `include` that are not entity files are accounted for (skipped or refused).
 */
export async function selectChanged(options: ChangedSelectionOptions): Promise<Selection> {
  const { git, matcher } = options;
  const changes =
    options.changes ??
    (await diffRange(git, options.mergeBase, options.head, options.includeUncommitted, options.include));

  const changedPaths = new Set<string>();
  const selected = new Map<string, SelectedFile>();
  const accounted: Accounted = { skipped: [], refused: [], notes: [...(options.notes ?? [])] };
  for (const change of changes) {
    changedPaths.add(change.path);
    if (change.previousPath) changedPaths.add(change.previousPath);
    for (const file of entityFilesOf(change, matcher, accounted)) selected.set(file.path, file);
  }

  const definitions = options.blueprintsDir ? `${options.blueprintsDir.replace(/\/+$/, '')}/` : undefined;
  const revalidate = [
    ...options.revalidateOn.filter((path) => changedPaths.has(path)),
    ...[...changedPaths].filter((path) => definitions && path.startsWith(definitions) && path.endsWith('.json')).sort(),
  ];
  if (revalidate.length > 0) {
    accounted.notes.push(`${revalidate.join(' and ')} changed: every entity file is re-validated`);
    const discovery = await options.discoverAll();
    for (const file of discovery.files) {
      if (!selected.has(file.path))
        selected.set(file.path, { path: file.path, status: 'unchanged', reason: `${revalidate.join(', ')} changed` });
    }
    mergeNotes(accounted, discovery);
  } else {
    for (const file of await dependents(options, changedPaths, selected)) selected.set(file.path, file);
  }

  const files = [...selected.values()].sort(byPath);
  return {
    mode: 'changed',
    base: options.mergeBase,
    head: options.head,
    files,
    changedPaths,
    notes: accounted.notes,
    skipped: dedupe(accounted.skipped),
    refused: dedupe(accounted.refused),
  };
}

interface Accounted {
  skipped: FileNote[];
  refused: FileNote[];
  notes: string[];
}

function mergeNotes(into: Accounted, discovery: Discovery): void {
  into.skipped.push(...discovery.skipped);
  into.refused.push(...discovery.refused);
  into.notes.push(...discovery.notes);
}

function dedupe(notes: FileNote[]): FileNote[] {
  const seen = new Map(notes.map((note) => [note.path, note]));
  return [...seen.values()].sort(byPath);
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The selected files of one change; what matches `include` but is not an entity file is accounted for. */
function entityFilesOf(change: GitChange, matcher: EntityFileMatcher, accounted: Accounted): SelectedFile[] {
  if (change.mode === GITLINK_MODE) {
    accounted.notes.push(
      `${change.path} is a git submodule: its entity files belong to its own repository and are not searched`,
    );
    return [];
  }
  const blob = change.baseBlob ? { baseBlob: change.baseBlob } : {};
  const isEntity = (path: string, atHead: boolean) => {
    const judgement = matcher.judge(path);
    if (!judgement.entity) {
      if (judgement.reason && atHead) accounted.skipped.push({ path, reason: judgement.reason });
      return false;
    }
    if (atHead && change.mode === SYMLINK_MODE) {
      accounted.refused.push({ path, reason: SYMLINK_REFUSAL });
      return false;
    }
    return true;
  };
  switch (change.status) {
    case 'added':
      return isEntity(change.path, true) ? [{ path: change.path, status: 'added' }] : [];
    case 'modified':
      return isEntity(change.path, true) ? [{ path: change.path, status: 'modified', ...blob }] : [];
    case 'deleted':
      return isEntity(change.path, false) ? [{ path: change.path, status: 'deleted', ...blob }] : [];
    case 'renamed': {
      const was = isEntity(change.previousPath!, false);
      const is = isEntity(change.path, true);
      if (was && is) return [{ path: change.path, status: 'renamed', previousPath: change.previousPath!, ...blob }];
      if (is) return [{ path: change.path, status: 'added', reason: `renamed from ${change.previousPath}` }];
      if (was) return [{ path: change.previousPath!, status: 'deleted', reason: `renamed to ${change.path}`, ...blob }];
      return [];
    }
  }
}

/**
 * Unchanged entity files that pull in a changed path (`file://`, Backstage `$text`/`$json`/`$yaml`).
 * One git grep (in C) finds every line that pulls a file in, whatever the change; each line's reference
 * is resolved from the line alone and looked up among the changed paths, and only the files whose line
 * points at one (or cannot be read that way) are parsed to confirm. A change to one of ten thousand
 * README.md files, each pulled in by its own service, parses one file.
 */
async function dependents(
  options: ChangedSelectionOptions,
  changedPaths: Set<string>,
  selected: Map<string, SelectedFile>,
): Promise<SelectedFile[]> {
  const { matcher, reader } = options;
  // Only a path that is not itself an entity file can be a reference target worth a search.
  const targets = [...changedPaths].filter((path) => !matcher.isEntityFile(path));
  if (targets.length === 0) return [];
  const found: SelectedFile[] = [];
  // Mapped files whose resources include a changed file (`includedFiles`): their paths say it, unread.
  if (reader.includesFiles) {
    for (const file of (await options.discoverAll()).files) {
      if (selected.has(file.path)) continue;
      const included = reader.includesOf(file.path).filter((path) => changedPaths.has(path));
      if (included.length > 0) {
        found.push({ path: file.path, status: 'unchanged', reason: `includes ${included.join(', ')}, which changed` });
      }
    }
  }
  const pathspecs = entityPathspecs(options.include);
  const lines = options.searchReferences
    ? await options.searchReferences(reader.referenceMarkers, pathspecs, [...selected.values()])
    : await options.git.matchingLines(reader.referenceMarkers, pathspecs);
  const toParse = new Set<string>();
  for (const { path, text } of lines) {
    if (selected.has(path) || toParse.has(path) || !matcher.isEntityFile(path)) continue;
    const referenced = reader.referencesOnLine(path, text);
    if (referenced === undefined || referenced.some((target) => changedPaths.has(target))) toParse.add(path);
  }
  for (const path of [...toParse].sort()) {
    const text = readForSearch(options.root, path);
    const changedTargets = reader.referencesOf(path, text).filter((target) => changedPaths.has(target));
    if (changedTargets.length > 0) {
      found.push({
        path,
        status: 'unchanged',
        reason: `pulls in ${[...new Set(changedTargets)].join(', ')}, which changed`,
      });
    }
  }
  return found;
}
