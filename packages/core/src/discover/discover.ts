import { type Dirent, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Git, type NameFilter, SYMLINK_MODE, filterPathspecs, keepsName } from '../git/index.js';
import type { EntityFile, FileNote } from '../model.js';
import { ignoresCase, withoutCaseMark } from '../globs.js';
import { type EntityFileMatcher, createEntityFileMatcher } from './entity-files.js';

export interface DiscoverOptions {
  root: string;
  include: string[];
  exclude: string[];
  /** Inside a git work tree: git lists the files (tracked, and untracked that it does not ignore). */
  git?: Git;
  /**
   * The caller reads every tracked file it is given right away, opening each without following a link:
   * the files are then not looked at here (their folders still are), and those the caller cannot read
   * are brought back to `recheckTracked` (see `discoverInParts`).
   */
  statByOpen?: boolean;
}

/** Every file matching `include`, each either to read, skipped or refused; and what was not searched. */
export interface Discovery {
  /** Regular files to read, sorted. */
  files: EntityFile[];
  skipped: FileNote[];
  refused: FileNote[];
  /** Places not searched: submodules, nested repositories. */
  notes: string[];
}

const NOT_REGULAR = 'not a regular file (entity files must be regular files inside the repository)';
const SYMLINK = 'a symbolic link (entity files must be regular files inside the repository; links are never followed)';

/**
 * Finds the entity files below `root`. Inside a git work tree, git lists them: the tracked files and the
 * untracked ones git does not ignore, which is what the repository holds. Elsewhere, a walk of the tree
 * with the `.gitignore` files read as git would. Both see hidden folders, never enter node_modules or .git,
 * and account for every file matching `include` (test: the two ways agree on the same tree).
 */
export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const { tracked, untracked } = discoverInParts(options);
  return merge(await tracked, await untracked);
}

/**
 * Discovery in two parts that need not wait for each other: what git's index lists (read quickly) and
 * what a walk of the work tree adds (untracked files: on a large tree the walk takes several times as
 * long). A full run reads the first part while git walks. Outside git, the walk is the
 * first part and the second is empty.
 */
export function discoverInParts(options: DiscoverOptions): {
  tracked: Promise<Discovery>;
  untracked: Promise<Discovery>;
  /**
   * With `statByOpen`: what discovery says of these tracked files (ones the caller could not read) once it
   * looks at them, as it says without `statByOpen`. A tracked path it says nothing of is gone.
   */
  recheckTracked: (paths: string[]) => Promise<Discovery>;
} {
  const matcher = createEntityFileMatcher({ ...options, gitignore: !options.git });
  if (!options.git) {
    return {
      tracked: walk(options, matcher).then(sorted),
      untracked: Promise.resolve(empty()),
      recheckTracked: async () => empty(),
    };
  }
  const filter = nameFilter(options.include);
  const listed = listTracked(options.git, matcher, options, filter);
  const tracked = listed.then(({ found }) => sorted(found));
  const untracked = listUntracked(options.git, matcher, options, filter).then(sorted);
  // Awaited one after the other by the caller: an early failure of the second must not go unhandled.
  untracked.catch(() => undefined);
  return { tracked, untracked, recheckTracked: async (paths) => sorted(await (await listed).recheck(paths)) };
}

/** Two discoveries of disjoint files as one. */
function merge(a: Discovery, b: Discovery): Discovery {
  return sorted({
    files: [...a.files, ...b.files],
    skipped: [...a.skipped, ...b.skipped],
    refused: [...a.refused, ...b.refused],
    notes: [...a.notes, ...b.notes],
  });
}

function sorted(found: Discovery): Discovery {
  found.files.sort(byPath);
  found.skipped.sort(byPath);
  found.refused.sort(byPath);
  return found;
}

function empty(): Discovery {
  return { files: [], skipped: [], refused: [], notes: [] };
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

type Consider = (path: string, kind: () => 'file' | 'symlink' | 'other' | 'missing', noLeadingSymlink: boolean) => void;

/** A path matching `include`: an entity file of its type, or left out with the reason. */
function considerInto(found: Discovery, matcher: EntityFileMatcher, tracked = false): Consider {
  return (path, kind, noLeadingSymlink) => {
    const judgement = matcher.judge(path);
    if (!judgement.entity) {
      // A file git tracks inside node_modules is said so; the walk never enters an untracked one.
      if (judgement.reason && (tracked || !judgement.never)) found.skipped.push({ path, reason: judgement.reason });
      return;
    }
    const type = kind();
    if (type === 'file') found.files.push(noLeadingSymlink ? { path, noLeadingSymlink: true } : { path });
    else if (type === 'symlink') found.refused.push({ path, reason: SYMLINK });
    else if (type === 'other') found.refused.push({ path, reason: NOT_REGULAR });
  };
}

/**
 * The tracked part: git's index. Only the paths whose names can match `include` (a literal ending every
 * include glob has, `nameFilter`) become strings, and only those are looked at in the work tree for
 * files deleted from it or turned into links (with `statByOpen`, their folders only: see `recheck`).
 */
async function listTracked(
  git: Git,
  matcher: EntityFileMatcher,
  options: DiscoverOptions,
  filter: NameFilter | undefined,
): Promise<{ found: Discovery; recheck: (paths: string[]) => Promise<Discovery> }> {
  const { index, changes, deferredStat } = await git.tracked(filter, { statFiles: !options.statByOpen });
  const found = empty();
  for (const path of index.gitlinks) {
    found.notes.push(`${path} is a git submodule: its entity files belong to its own repository and are not searched`);
  }
  for (const path of index.links) if (isFolder(join(options.root, path))) found.notes.push(linkedFolder(path));
  considerTracked(index.files, changes, considerInto(found, matcher, true), options.root);
  // The files a reader brings back: those whose lstat was deferred are looked at now, with the answers `git.tracked`
  // gives when it looks at every file; any other's answer stands.
  const recheck = async (paths: string[]) => {
    const files = new Map<string, string>();
    const again = new Map<string, number>();
    for (const path of paths) {
      const mode = index.files.get(path);
      if (mode === undefined) continue;
      files.set(path, mode);
      const deferredMode = deferredStat?.get(path);
      if (deferredMode !== undefined) again.set(path, deferredMode);
    }
    const changedNow = again.size > 0 ? await git.diffFilesAmong(again, filter) : new Map<string, string>();
    const answers = new Map<string, string>();
    for (const path of files.keys()) {
      const change = again.has(path) ? changedNow.get(path) : changes.get(path);
      if (change !== undefined) answers.set(path, change);
    }
    const rechecked = empty();
    considerTracked(files, answers, considerInto(rechecked, matcher, true), options.root);
    return rechecked;
  };
  return { found, recheck };
}

/** Each tracked file, as what `changed` (`D`, `T` from `git.tracked`) says the work tree holds in its place. */
function considerTracked(files: Map<string, string>, changed: Map<string, string>, consider: Consider, root: string) {
  for (const [path, mode] of files) {
    const change = changed.get(path);
    if (change === 'D') {
      // Gone from the work tree, or reachable only through a link to a folder, which git never follows.
      consider(path, () => (fileType(join(root, path)) === 'missing' ? 'missing' : 'symlink'), false);
    } else if (change === 'T') {
      consider(path, () => fileType(join(root, path)), true);
    } else {
      consider(path, () => (mode === SYMLINK_MODE ? 'symlink' : 'file'), true);
    }
  }
}

/**
 * The untracked part: one walk of the work tree, which collapses untracked folders (node_modules, an
 * ignored build folder, a new service) into one entry each; those and the untracked files that can match
 * `include` are then asked about (`check-ignore`), and new folders listed on their own.
 */
async function listUntracked(
  git: Git,
  matcher: EntityFileMatcher,
  options: DiscoverOptions,
  filter: NameFilter | undefined,
): Promise<Discovery> {
  const { root } = options;
  const untracked = await git.untrackedEntries();
  const found = empty();
  const consider = considerInto(found, matcher);
  const mayMatch = (path: string) => !filter || keepsName(filter, path);
  const candidates = untracked.files.filter((path) => {
    if (!mayMatch(path)) return false;
    const judgement = matcher.judge(path);
    return judgement.entity || (judgement.reason !== undefined && !judgement.never);
  });
  const folders = untracked.folders.filter((folder) => !NEVER_ENTERED.has(folder.slice(0, -1).split('/').pop()!));
  const ignored = await git.ignored([...candidates, ...folders]);
  for (const path of candidates) {
    if (ignored.has(path)) accountIgnored(path, matcher, found);
    else consider(path, () => fileType(join(root, path)), true);
  }
  const newFolders: string[] = [];
  for (const folder of folders) {
    if (ignored.has(folder)) continue; // an ignored folder: git, and so discovery, does not look inside
    if (fileType(join(root, folder, '.git')) !== 'missing') found.notes.push(nestedRepository(folder));
    else newFolders.push(folder);
  }
  const inside = await git.untrackedIn(newFolders);
  for (const path of inside.files) consider(path, () => fileType(join(root, path)), true);
  for (const folder of inside.nested) found.notes.push(nestedRepository(folder));
  for (const path of inside.ignored) if (!path.endsWith('/')) accountIgnored(path, matcher, found);
  return found;
}

/** Folders never searched, whatever the globs say: their contents are never entity files. */
const NEVER_ENTERED = new Set(['node_modules', '.git']);

function nestedRepository(folder: string): string {
  return `${folder.replace(/\/$/, '')} is a git repository of its own inside this one: it is not searched`;
}

/** A file `.gitignore` leaves out: accounted for when it matches `include`. */
function accountIgnored(path: string, matcher: EntityFileMatcher, found: Discovery): void {
  const judgement = matcher.judge(path);
  if (judgement.entity) found.skipped.push({ path, reason: 'ignored by .gitignore' });
  else if (judgement.reason && !judgement.never) found.skipped.push({ path, reason: judgement.reason });
}

/**
 * Pathspecs for git that select every path `include` can match, and few others (`*port.yml`): what a
 * search of the entity files (git grep) is limited to. Git matches these fast; it matches `:(glob)`
 * pathspecs against every path of a large index slowly, so those are the fallback for globs without a
 * literal ending. Callers still judge each path git names.
 */
export function entityPathspecs(include: string[]): string[] {
  const filter = nameFilter(include);
  return filter
    ? filterPathspecs(filter)
    : include.map((glob) => (ignoresCase(glob) ? `:(glob,icase)${withoutCaseMark(glob)}` : `:(glob)${glob}`));
}

/** Characters that make a glob more than a literal, in picomatch's syntax. */
const GLOB_CHARACTER = /[*?[\]{}()!+@\\]/;

/**
 * What every name `include` can match ends with: for each glob, the literal its last segment ends with
 * (`**\/port.yml` → `port.yml`, `**\/*.port.json` → `.port.json`; a simple `{a,b}` is expanded), compared
 * without case when a glob is matched so (`(?i)`, globs.ts). A filter git can apply before any path becomes a
 * string. Undefined when a glob has no such ending (`services/**`, a negation), or a glob matched without
 * case ends in other than ASCII: then every path is read, and picomatch alone decides, as it always does.
 */
export function nameFilter(include: string[]): NameFilter | undefined {
  const endings = new Set<string>();
  let ignoreCase = false;
  for (const written of include) {
    if (written.startsWith('!')) return undefined;
    const glob = withoutCaseMark(written);
    const segment = glob.slice(glob.lastIndexOf('/') + 1);
    for (const variant of expandBraces(segment)) {
      let start = variant.length;
      while (start > 0 && !GLOB_CHARACTER.test(variant[start - 1]!)) start--;
      const tail = variant.slice(start);
      if (tail === '') return undefined;
      if (ignoresCase(written)) {
        // Only ASCII letters are folded by the filter; another cased letter would be missed.
        if (/[^\x00-\x7f]/.test(tail)) return undefined;
        ignoreCase = true;
      }
      endings.add(tail);
    }
  }
  return { endings: [...endings], ignoreCase };
}

/** `port.{yml,yaml}` → `port.yml`, `port.yaml`; nested or unbalanced braces are left as written. */
function expandBraces(segment: string): string[] {
  const match = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/.exec(segment);
  if (!match || !match[2]!.includes(',')) return [segment];
  return match[2]!.split(',').map((alternative) => `${match[1]}${alternative}${match[3]}`);
}

/**
 * Outside git: a walk of the tree that sees hidden folders and links (never following them). Written
 * here rather than with fast-glob, which returns `ab/port.yml` for a folder named `a\nb`: a path that
 * does not exist, silently. Names are taken as the file system gives them, any byte included.
 */
async function walk(options: DiscoverOptions, matcher: EntityFileMatcher): Promise<Discovery> {
  const found: Discovery = { files: [], skipped: [], refused: [], notes: [] };
  const folders = [''];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(options.root, folder), { withFileTypes: true });
    } catch {
      continue; // a folder that vanished or cannot be read holds nothing to account for
    }
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') folders.push(path);
        continue;
      }
      const judgement = matcher.judge(path);
      if (!judgement.entity) {
        if (judgement.reason && !judgement.never) found.skipped.push({ path, reason: judgement.reason });
        else if (entry.isSymbolicLink() && isFolder(join(options.root, path))) found.notes.push(linkedFolder(path));
      } else if (entry.isSymbolicLink()) found.refused.push({ path, reason: SYMLINK });
      else if (!entry.isFile()) found.refused.push({ path, reason: NOT_REGULAR });
      else found.files.push({ path, noLeadingSymlink: true });
    }
  }
  return found;
}

function linkedFolder(path: string): string {
  return `${path} is a symbolic link to a folder: links are never followed, so no entity file beneath it is searched`;
}

/** Whether a path leads to a folder, through links. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What is at a path, without following a link. */
export function fileType(path: string): 'file' | 'symlink' | 'other' | 'missing' {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
  } catch {
    return 'missing';
  }
}
