import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The rules of the `.gitignore` in a folder (`''` is the root), or undefined when it has none. */
export type GitignoreLookup = (dir: string) => Ignore | undefined;

/**
 * Whether git ignores a path: every `.gitignore` from the root down to the path's folder judges the
 * rest of the path, and a file is ignored when it, or a folder above it, is.
 */
export function isGitignored(path: string, rulesOf: GitignoreLookup): boolean {
  const parts = path.split('/');
  for (let depth = 0; depth < parts.length; depth++) {
    const rules = rulesOf(parts.slice(0, depth).join('/'));
    if (!rules) continue;
    const rest = parts.slice(depth);
    for (let i = 1; i <= rest.length; i++) {
      const prefix = rest.slice(0, i).join('/');
      if (rules.ignores(i < rest.length ? `${prefix}/` : prefix)) return true;
    }
  }
  return false;
}

/** Reads each folder's `.gitignore` on first use, once. */
export function readGitignores(root: string): GitignoreLookup {
  const cache = new Map<string, Ignore | undefined>();
  return (dir) => {
    if (!cache.has(dir)) {
      let rules: Ignore | undefined;
      try {
        rules = ignore().add(readFileSync(join(root, dir, '.gitignore'), 'utf8'));
      } catch {
        rules = undefined;
      }
      cache.set(dir, rules);
    }
    return cache.get(dir);
  };
}
