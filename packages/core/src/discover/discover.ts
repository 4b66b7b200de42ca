import { type Dirent, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GITLINK_MODE, type Git, SYMLINK_MODE } from '../git/index.js';
import type { EntityFile, FileNote } from '../model.js';
import { type EntityFileMatcher, createEntityFileMatcher } from './entity-files.js';

export interface DiscoverOptions {
  root: string;
  include: string[];
  exclude: string[];
  /** Inside a git work tree: git lists the files (tracked, and untracked that it does not ignore). */
  git?: Git;
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
 * Finds the entity files below `root`. Inside a git work tree, git's index lists them: the tracked files
 * and the untracked ones git does not ignore, which is what the repository holds, at the cost of one
 * listing (a walk of 200,000 files takes several times as long). Elsewhere, a walk of the tree with the
 * `.gitignore` files read as git would. Both see hidden folders, never enter node_modules or .git, and
 * account for every file matching `include` (test: the two ways agree on the same tree).
 */
export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const matcher = createEntityFileMatcher({ ...options, gitignore: !options.git });
  const found = options.git ? await listFromGit(options.git, matcher, options.root) : await walk(options, matcher);
  found.files.sort(byPath);
  found.skipped.sort(byPath);
  found.refused.sort(byPath);
  return found;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

async function listFromGit(git: Git, matcher: EntityFileMatcher, root: string): Promise<Discovery> {
  const tree = await git.workTree();
  const found: Discovery = { files: [], skipped: [], refused: [], notes: [] };
  const consider = (path: string, kind: () => 'file' | 'symlink' | 'other' | 'missing') => {
    const judgement = matcher.judge(path);
    if (!judgement.entity) {
      if (judgement.reason && !judgement.never) found.skipped.push({ path, reason: judgement.reason });
      return;
    }
    const type = kind();
    if (type === 'file') found.files.push({ path });
    else if (type === 'symlink') found.refused.push({ path, reason: SYMLINK });
    else if (type === 'other') found.refused.push({ path, reason: NOT_REGULAR });
  };
  for (const [path, mode] of tree.tracked) {
    if (mode === GITLINK_MODE) {
      found.notes.push(
        `${path} is a git submodule: its entity files belong to its own repository and are not searched`,
      );
      continue;
    }
    if (tree.deleted.has(path)) continue; // not in the work tree, which is what is read
    consider(path, () => (mode === SYMLINK_MODE ? 'symlink' : 'file'));
  }
  for (const path of tree.untracked) {
    if (path.endsWith('/')) {
      found.notes.push(`${path.slice(0, -1)} is a git repository of its own inside this one: it is not searched`);
      continue;
    }
    consider(path, () => fileType(join(root, path)));
  }
  for (const path of tree.ignored) {
    if (path.endsWith('/')) continue; // an ignored folder: git, and so discovery, does not look inside
    const judgement = matcher.judge(path);
    if (judgement.entity) found.skipped.push({ path, reason: 'ignored by .gitignore' });
    else if (judgement.reason && !judgement.never) found.skipped.push({ path, reason: judgement.reason });
  }
  return found;
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
      } else if (entry.isSymbolicLink()) found.refused.push({ path, reason: SYMLINK });
      else if (!entry.isFile()) found.refused.push({ path, reason: NOT_REGULAR });
      else found.files.push({ path });
    }
  }
  return found;
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
