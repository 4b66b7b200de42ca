import { posix } from 'node:path';
import { type GitignoreLookup, isGitignored, readGitignores } from './gitignore.js';
import type { EntityFile } from '../model.js';

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
  // The walk found the .gitignore files too: only those folders have rules to read.
  const withRules = new Set(
    found
      .filter((path) => posix.basename(path) === '.gitignore')
      .map((path) => posix.dirname(path).replace(/^\.$/, '')),
  );
  const lookup = readGitignores(options.root);
  const rulesOf: GitignoreLookup = (dir) => (withRules.has(dir) ? lookup(dir) : undefined);
  return found
    .filter((path) => posix.basename(path) !== '.gitignore' && !isGitignored(path, rulesOf))
    .sort()
    .map((path) => ({ path }));
}
