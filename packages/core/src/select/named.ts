import { existsSync, lstatSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { type EntityFileMatcher, fileType } from '../discover/index.js';
import type { FileNote, Selection } from '../model.js';
import { SYMLINK_REFUSAL } from './select.js';

/**
 * The files named on the command line (a pre-commit hook passes the staged ones), as repository-relative
 * paths. Each is selected, or accounted for: skipped when the config or `.gitignore` leaves it out on
 * purpose, refused (the run fails) when it cannot be an entity file: outside the repository, missing, a
 * link or not a regular file, or matching no `include` glob. A named file is never dropped in silence.
 */
export function selectNamed(
  paths: string[],
  context: {
    root: string;
    cwd: string;
    head: string | null;
    matcher: EntityFileMatcher;
    include: string[];
    /** Inside git: the named paths git counts in the work tree (tracked, or untracked and not ignored). */
    known?: Set<string>;
  },
): Selection {
  const files: string[] = [];
  const skipped: FileNote[] = [];
  const refused: FileNote[] = [];
  for (const path of new Set(
    paths.map((named) => relative(context.root, resolve(context.cwd, named)).split(sep).join('/')),
  )) {
    if (path === '' || path.startsWith('../') || path === '..') {
      refused.push({ path, reason: 'outside the repository' });
      continue;
    }
    const type = fileType(join(context.root, path));
    if (type === 'missing') {
      refused.push({ path, reason: 'does not exist' });
      continue;
    }
    const detour = folderDetour(context.root, path, context.known !== undefined);
    if (detour?.kind === 'link') {
      refused.push({
        path,
        reason: `reached through ${detour.folder}, a symbolic link (entity files must be regular files inside the repository; links are never followed)`,
      });
      continue;
    }
    if (detour?.kind === 'repository') {
      skipped.push({
        path,
        reason: `inside ${detour.folder}, a git submodule or nested repository: its entity files belong to its own repository and are not searched`,
      });
      continue;
    }
    const judgement = context.matcher.judge(path);
    if (!judgement.entity) {
      if (judgement.reason) skipped.push({ path, reason: judgement.reason });
      else
        refused.push({
          path,
          reason: `not an entity file: it matches none of the config's "include" globs (${context.include.join(', ')})`,
        });
    } else if (context.known && !context.known.has(path)) {
      skipped.push({ path, reason: 'ignored by .gitignore' });
    } else if (type === 'symlink') {
      refused.push({ path, reason: SYMLINK_REFUSAL });
    } else if (type === 'other') {
      refused.push({ path, reason: 'not a regular file (entity files must be regular files inside the repository)' });
    } else {
      files.push(path);
    }
  }
  files.sort();
  return {
    mode: 'changed',
    base: null,
    head: context.head,
    files: files.map((path) => ({ path, status: 'modified' as const })),
    changedPaths: new Set(files),
    notes: [],
    skipped,
    refused,
  };
}

/**
 * The first folder of a named path that discovery would not enter: a symbolic link (never followed), or,
 * inside git, the top of another repository (a submodule, or a nested clone, which holds a `.git`); a walk
 * outside git enters a nested repository like any folder.
 */
function folderDetour(
  root: string,
  path: string,
  insideGit: boolean,
): { kind: 'link' | 'repository'; folder: string } | undefined {
  const folders = path.split('/').slice(0, -1);
  for (let depth = 1; depth <= folders.length; depth++) {
    const folder = folders.slice(0, depth).join('/');
    try {
      if (lstatSync(join(root, folder)).isSymbolicLink()) return { kind: 'link', folder };
    } catch {
      return undefined; // missing: said by the caller
    }
    if (insideGit && existsSync(join(root, folder, '.git'))) return { kind: 'repository', folder };
  }
  return undefined;
}
