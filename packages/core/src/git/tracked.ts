import { lstatSync, opendirSync } from 'node:fs';
import { join } from 'node:path';
import { type IndexFileEntry, readIndexFile } from './index-file.js';
import { type NameFilter, endingMatcher } from './name-filter.js';

/** The index as discovery needs it (see `Git.tracked`). */
export interface IndexEntries {
  /** Tracked path → mode (`100644`, `100755`, `120000` symlink), for the paths the filter let through. */
  files: Map<string, string>;
  /** Submodules (mode 160000), whatever the filter. */
  gitlinks: string[];
  /** Symbolic links (mode 120000) the filter did not let through: a link to a folder hides what is beneath it. */
  links: string[];
}

/** Where git's index file is, and how to read it (see `Git.indexFile`). */
export interface IndexLocation {
  file: string;
  /** The root's place below the work tree's top, as git names it (`sub/`), or empty. */
  prefix: Buffer;
  hashBytes: 20 | 32;
}

const GITLINK_MODE_BITS = 0o160000;
export const SYMLINK_MODE_BITS = 0o120000;

/**
 * The index file read as `Git.indexEntries` lists it (the entries below the root, named from it), and the
 * entries whose kind in the work tree is to be compared, as `git diff-files` compares them: those git
 * looks at (not assume-unchanged or skip-worktree), and for a path in conflict, its stage 2 alone (a
 * conflict without one is only `U`). For a path in conflict, its last stage gives the mode, as in git's
 * listing.
 */
export function readTracked(
  located: IndexLocation,
  filter: NameFilter | undefined,
): { index: IndexEntries; toDiff: Map<string, number> } {
  const { prefix } = located;
  const files = new Map<string, string>();
  const gitlinks: string[] = [];
  const links: string[] = [];
  const toDiff = new Map<string, number>();
  const endsWell = filter ? endingMatcher(filter) : undefined;
  // The entry's name starts after the root's prefix: an ending must fit in what follows it.
  const passes = (bytes: Buffer, start: number, end: number): boolean =>
    !endsWell || endsWell(bytes, start + prefix.length, end);
  readIndexFile(located.file, located.hashBytes, (entry: IndexFileEntry) => {
    const { bytes, start, end, mode } = entry;
    for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return;
    const from = start + prefix.length;
    const isGitlink = mode === GITLINK_MODE_BITS;
    if (!isGitlink && !passes(bytes, start, end)) {
      if (mode === SYMLINK_MODE_BITS) links.push(bytes.toString('utf8', from, end));
      return;
    }
    const name = bytes.toString('utf8', from, end);
    if (isGitlink) {
      gitlinks.push(name);
      return;
    }
    files.set(name, mode.toString(8));
    // A conflict is compared with its stage 2 ("ours"), when it has one, as git does (`run_diff_files`).
    if ((entry.stage === 0 || entry.stage === 2) && !entry.assumeValid && !entry.skipWorktree) toDiff.set(name, mode);
  });
  return { index: { files, gitlinks, links }, toDiff };
}

/** A folder with at least this many folders to look at is listed once rather than asked about one by one. */
const LIST_FROM = 16;
/** How many entries a listing may read for each folder it is to find, before asking about the rest one by one. */
const LIST_BUDGET = 16;

/**
 * Of the folders that hold these paths (relative to `root`), those that are folders in the work tree and
 * not links, and whose parents are too, up to the root: what git's `has_symlink_leading_path` asks of the
 * folders of a tracked path. A folder holding
 * many of them (`services/`, with a thousand service folders) is listed once, the kind of each entry read
 * from the listing; others get an `lstat` each (one listing costs less than an `lstat` per service
 * folder). A listing stops after a bounded number of entries per folder it is to find, so that a folder
 * of 100,000 files holding a few service folders costs no more than asking.
 * (A name in bytes that are not UTF-8 reads back altered here; the caller's `lstat` of the file under it
 * then fails, and git is asked.)
 */
export function realFolders(root: string, paths: Iterable<string>): Set<string> {
  const byParent = new Map<string, Set<string>>();
  for (const path of paths) {
    let parent = '';
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      const children = byParent.get(parent);
      if (children) children.add(folder);
      else byParent.set(parent, new Set([folder]));
      parent = folder;
    }
  }
  // A folder's own entry comes before its children's (it was met first on the way down): so its parent's
  // answer is known when its children are looked at, and none is looked at below a folder that is not.
  const real = new Set<string>();
  for (const [parent, children] of byParent) {
    if (parent !== '' && !real.has(parent)) continue;
    let unresolved = children;
    if (children.size >= LIST_FROM) unresolved = listFolders(root, parent, children, real);
    for (const folder of unresolved) {
      if (lstatSync(join(root, folder), { throwIfNoEntry: false })?.isDirectory()) real.add(folder);
    }
  }
  return real;
}

/** Lists `parent`, adding to `real` each of `children` it finds a folder; returns those it did not reach. */
function listFolders(root: string, parent: string, children: Set<string>, real: Set<string>): Set<string> {
  const unresolved = new Set(children);
  let budget = children.size * LIST_BUDGET;
  let listing: ReturnType<typeof opendirSync>;
  try {
    listing = opendirSync(join(root, parent), { bufferSize: 256 });
  } catch {
    return unresolved; // asked about one by one, which says what is there
  }
  try {
    for (let entry = listing.readSync(); entry !== null && budget > 0; entry = listing.readSync(), budget--) {
      const folder = parent === '' ? entry.name : `${parent}/${entry.name}`;
      if (!unresolved.delete(folder)) continue;
      // From the listing's type (an entry of unknown type is looked at by Node): a link is not a folder.
      if (entry.isDirectory()) real.add(folder);
      if (unresolved.size === 0) break;
    }
  } finally {
    listing.closeSync();
  }
  return unresolved;
}
