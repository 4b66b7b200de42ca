import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

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
  const gitignores = new Map<string, Ignore | undefined>();
  const rulesOf = (dir: string): Ignore | undefined => {
    if (!gitignores.has(dir)) {
      let rules: Ignore | undefined;
      try {
        rules = ignore().add(readFileSync(join(root, dir, '.gitignore'), 'utf8'));
      } catch {
        rules = undefined;
      }
      gitignores.set(dir, rules);
    }
    return gitignores.get(dir);
  };
  return (path) => {
    if (NEVER(path) || !included(path) || excluded(path)) return false;
    const parts = path.split('/');
    // Every .gitignore from the root down to the file's folder judges the rest of the path.
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/');
      const rules = rulesOf(dir);
      if (!rules) continue;
      const rest = parts.slice(depth);
      for (let i = 1; i <= rest.length; i++) {
        const prefix = rest.slice(0, i).join('/');
        if (rules.ignores(i < rest.length ? prefix + '/' : prefix)) return false;
      }
    }
    return posix.basename(path) !== '.gitignore';
  };
}
