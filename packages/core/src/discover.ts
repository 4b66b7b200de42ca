import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { EntityFile } from './model.js';

export interface DiscoverOptions {
  root: string;
  include: string[];
  exclude: string[];
}

/** Never entered, whatever the globs say. */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/**
 * Finds entity files below `root`: files matching `include`, minus `exclude` and whatever the
 * repository's `.gitignore` files ignore (each applies to its own folder and below, as in git).
 * One walk collects both the candidates and the `.gitignore` files. Paths are repository-relative,
 * with `/`, sorted.
 */
export async function discover(options: DiscoverOptions): Promise<EntityFile[]> {
  // Loaded here: a changed-only run never walks the tree, and need not load the walker.
  const { default: fg } = await import('fast-glob');
  const found = await fg([...options.include, '**/.gitignore'], {
    cwd: options.root,
    ignore: [...ALWAYS_IGNORED, ...options.exclude],
    onlyFiles: true,
    followSymbolicLinks: false,
    dot: false,
    unique: true,
  });
  const gitignores = found.filter((path) => posix.basename(path) === '.gitignore');
  const candidates = found.filter((path) => posix.basename(path) !== '.gitignore');
  const ignored = await loadIgnoreRules(options.root, gitignores);
  return candidates
    .filter((path) => !isIgnored(path, ignored))
    .sort()
    .map((path) => ({ path }));
}

interface IgnoreRules {
  /** Folder the .gitignore sits in ('' for the root). */
  dir: string;
  rules: Ignore;
}

async function loadIgnoreRules(root: string, gitignores: string[]): Promise<IgnoreRules[]> {
  const loaded = await Promise.all(
    gitignores.map(async (path) => {
      const text = await readFile(join(root, path), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      const dir = posix.dirname(path);
      return { dir: dir === '.' ? '' : dir, rules: ignore().add(text) };
    }),
  );
  return loaded.filter((rules): rules is IgnoreRules => rules !== undefined);
}

function isIgnored(path: string, ignored: IgnoreRules[]): boolean {
  for (const { dir, rules } of ignored) {
    if (dir !== '' && !path.startsWith(dir + '/')) continue;
    const relativePath = dir === '' ? path : path.slice(dir.length + 1);
    // A file is ignored when it, or any folder above it, is ignored by a .gitignore above it.
    const parts = relativePath.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (rules.ignores(i < parts.length ? prefix + '/' : prefix)) return true;
    }
  }
  return false;
}
