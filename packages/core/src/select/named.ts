import { relative, resolve, sep } from 'node:path';
import type { Selection } from '../model.js';

/**
 * The files named on the command line that are entity files (include, exclude, .gitignore), as
 * repository-relative paths; a pre-commit hook passes every staged file its pattern matches.
 */
export function selectNamed(
  paths: string[],
  context: { root: string; cwd: string; head: string | null; isEntityFile: (path: string) => boolean },
): Selection {
  const files = [
    ...new Set(paths.map((path) => relative(context.root, resolve(context.cwd, path)).split(sep).join('/'))),
  ]
    .filter((path) => !path.startsWith('../') && context.isEntityFile(path))
    .sort()
    .map((path) => ({ path, status: 'modified' as const }));
  return {
    mode: 'changed',
    base: null,
    head: context.head,
    files,
    changedPaths: new Set(files.map((f) => f.path)),
    notes: [],
  };
}
