import { posix } from 'node:path';
import picomatch from 'picomatch';
import { isGitignored, readGitignores } from './gitignore.js';

/** Folders that are never entity territory, whatever the globs say. */
const NEVER = picomatch(['**/node_modules/**', '**/.git/**', 'node_modules/**', '.git/**'], { dot: true, flags: 's' });

/**
 * Decides whether one path is an entity file, as `discover` would, without walking the tree:
 * include and exclude globs, and the `.gitignore` files of its folder and every folder above it
 * (read once each). For changed-only runs, where only a handful of paths are asked about.
 */
export function createEntityFileFilter(root: string, include: string[], exclude: string[]): (path: string) => boolean {
  // dotAll (`s`): a path may hold a newline, which `**` must still match.
  const included = picomatch(include, { dot: false, flags: 's' });
  const excluded = exclude.length > 0 ? picomatch(exclude, { dot: false, flags: 's' }) : () => false;
  const rulesOf = readGitignores(root);
  return (path) => {
    if (NEVER(path) || !included(path) || excluded(path)) return false;
    if (isGitignored(path, rulesOf)) return false;
    return posix.basename(path) !== '.gitignore';
  };
}
