import picomatch from 'picomatch';
import { globMatcher } from '../globs.js';
import { isGitignored, readGitignores } from './gitignore.js';

/** Folders that are never entity territory, whatever the globs say. */
const NEVER = picomatch(['**/node_modules/**', '**/.git/**', 'node_modules/**', '.git/**'], { dot: true, flags: 's' });

/**
 * Whether a path is an entity file, and if it matches `include` but is not, why. `never`: inside
 * node_modules or .git, which discovery does not enter (the reason is for a file named on the command line).
 */
type Judgement = { entity: true } | { entity: false; reason?: string; never?: true };

export interface EntityFileMatcher {
  judge(path: string): Judgement;
  isEntityFile(path: string): boolean;
}

export interface EntityFileRules {
  root: string;
  include: string[];
  exclude: string[];
  /**
   * Apply the `.gitignore` files as git would. Inside a git work tree git itself says which files
   * belong to the repository (tracked, or untracked and not ignored), so this is off there: a tracked
   * file is an entity file even when a `.gitignore` pattern matches it.
   */
  gitignore: boolean;
}

/**
 * Decides whether a path is an entity file: include and exclude globs (hidden folders included: `dot`),
 * never inside node_modules or .git, and, outside git, not ignored by a `.gitignore` of its folder or
 * above (each read once). A path matching `include` that is not an entity file gets a reason.
 */
export function createEntityFileMatcher(rules: EntityFileRules): EntityFileMatcher {
  // dotAll (`s`): a path may hold a newline, which `**` must still match.
  const options = { dot: true, flags: 's' };
  const included = globMatcher(rules.include, options);
  const excludes = rules.exclude.map((glob) => ({ glob, test: picomatch(glob, options) }));
  const rulesOf = rules.gitignore ? readGitignores(rules.root) : undefined;
  const judge = (path: string): Judgement => {
    if (!included(path)) return { entity: false };
    if (NEVER(path))
      return { entity: false, reason: 'inside node_modules or .git, which are never searched', never: true };
    const excluded = excludes.find(({ test }) => test(path));
    if (excluded) return { entity: false, reason: `excluded by the config's "exclude": ${excluded.glob}` };
    if (rulesOf && isGitignored(path, rulesOf)) return { entity: false, reason: 'ignored by .gitignore' };
    return { entity: true };
  };
  return { judge, isEntityFile: (path) => judge(path).entity };
}
