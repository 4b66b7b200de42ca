import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git, GitChange } from '../git/index.js';
import type { EntityReader } from '../read/index.js';
import type { EntityFile, SelectedFile, Selection } from '../model.js';

/** A full resync: every discovered file. */
export function selectAll(files: EntityFile[], head: string | null, notes: string[] = []): Selection {
  return {
    mode: 'all',
    base: null,
    head,
    files: files.map((file) => ({ path: file.path, status: 'all' })),
    changedPaths: new Set(),
    notes,
  };
}

export interface ChangedSelectionOptions {
  git: Git;
  root: string;
  mergeBase: string;
  head: string;
  /** Compare with the working tree (and its untracked files) instead of the head commit. */
  includeUncommitted: boolean;
  isEntityFile: (path: string) => boolean;
  include: string[];
  /** For the files that pull in a changed one. */
  reader: EntityReader;
  /** Paths whose change re-validates every entity file: the config file and the shared schema. */
  revalidateOn: string[];
  /** Every entity file; called only when everything must be re-validated. */
  discoverAll: () => Promise<EntityFile[]>;
  notes?: string[];
  /** The diff, when the caller already started it (see `diffRange`). */
  changes?: GitChange[];
}

/** The change between the merge-base and the head (or the working tree), with untracked files when asked. */
export async function diffRange(
  git: Git,
  mergeBase: string,
  head: string,
  includeUncommitted: boolean,
): Promise<GitChange[]> {
  const changes = await git.diff(mergeBase, includeUncommitted ? undefined : head);
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
 * - unchanged entity files that pull in a changed file (`file://`, Backstage substitutions), found
 *   with `git grep`;
 * - when the config file or the shared schema changed, every entity file, to be re-validated.
 */
export async function selectChanged(options: ChangedSelectionOptions): Promise<Selection> {
  const { git, isEntityFile } = options;
  const changes =
    options.changes ?? (await diffRange(git, options.mergeBase, options.head, options.includeUncommitted));

  const changedPaths = new Set<string>();
  const selected = new Map<string, SelectedFile>();
  for (const change of changes) {
    changedPaths.add(change.path);
    if (change.previousPath) changedPaths.add(change.previousPath);
    for (const file of entityFilesOf(change, isEntityFile)) selected.set(file.path, file);
  }

  const notes = [...(options.notes ?? [])];
  const revalidate = options.revalidateOn.filter((path) => changedPaths.has(path));
  if (revalidate.length > 0) {
    notes.push(`${revalidate.join(' and ')} changed: every entity file is re-validated`);
    for (const file of await options.discoverAll()) {
      if (!selected.has(file.path))
        selected.set(file.path, { path: file.path, status: 'unchanged', reason: `${revalidate.join(', ')} changed` });
    }
  } else {
    for (const file of await dependents(options, changedPaths, selected)) selected.set(file.path, file);
  }

  const files = [...selected.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { mode: 'changed', base: options.mergeBase, head: options.head, files, changedPaths, notes };
}

function entityFilesOf(change: GitChange, isEntityFile: (path: string) => boolean): SelectedFile[] {
  const blob = change.baseBlob ? { baseBlob: change.baseBlob } : {};
  switch (change.status) {
    case 'added':
      return isEntityFile(change.path) ? [{ path: change.path, status: 'added' }] : [];
    case 'modified':
      return isEntityFile(change.path) ? [{ path: change.path, status: 'modified', ...blob }] : [];
    case 'deleted':
      return isEntityFile(change.path) ? [{ path: change.path, status: 'deleted', ...blob }] : [];
    case 'renamed': {
      const was = isEntityFile(change.previousPath!);
      const is = isEntityFile(change.path);
      if (was && is) return [{ path: change.path, status: 'renamed', previousPath: change.previousPath!, ...blob }];
      if (is) return [{ path: change.path, status: 'added', reason: `renamed from ${change.previousPath}` }];
      if (was) return [{ path: change.previousPath!, status: 'deleted', reason: `renamed to ${change.path}`, ...blob }];
      return [];
    }
  }
}

/** Unchanged entity files that pull in a changed path (`file://`, Backstage `$text`/`$json`/`$yaml`). */
async function dependents(
  options: ChangedSelectionOptions,
  changedPaths: Set<string>,
  selected: Map<string, SelectedFile>,
): Promise<SelectedFile[]> {
  // Only a path that is not itself an entity file can be a reference target worth a search.
  if (![...changedPaths].some((path) => !options.isEntityFile(path))) return [];
  const candidates = (await options.git.filesContaining(options.reader.referenceMarkers, options.include)).filter(
    (path) => !selected.has(path) && options.isEntityFile(path),
  );
  const found: SelectedFile[] = [];
  for (const path of candidates) {
    const text = await readFile(join(options.root, path), 'utf8').catch(() => '');
    const changedTargets = options.reader.referencesOf(path, text).filter((target) => changedPaths.has(target));
    if (changedTargets.length > 0)
      found.push({
        path,
        status: 'unchanged',
        reason: `pulls in ${[...new Set(changedTargets)].join(', ')}, which changed`,
      });
  }
  return found;
}
