/**
 * Globs as port-gitops writes them: picomatch's syntax, and one mark of its own, `(?i)` at the start, for
 * a glob matched without case. The file-kind mappings' `path` globs carry it for the providers whose
 * integrations match so (Ocean's GitHub and Azure DevOps: wcmatch's IGNORECASE), and a config `include`
 * glob may too.
 */
import picomatch from 'picomatch';

/** The mark of a glob matched without case: `(?i)**\/readme.md`. */
export const IGNORE_CASE = '(?i)';

export function ignoresCase(glob: string): boolean {
  return glob.startsWith(IGNORE_CASE);
}

export function withoutCaseMark(glob: string): string {
  return ignoresCase(glob) ? glob.slice(IGNORE_CASE.length) : glob;
}

/** Whether a path matches one of `globs`, those marked `(?i)` without case. */
export function globMatcher(globs: string[], options: picomatch.PicomatchOptions): (path: string) => boolean {
  const caseful = globs.filter((glob) => !ignoresCase(glob));
  const caseless = globs.filter(ignoresCase).map(withoutCaseMark);
  const matchCase = caseful.length > 0 ? picomatch(caseful, options) : undefined;
  // picomatch's `flags` replace the `i` that `nocase` would add: both are given.
  const ignoreCase =
    caseless.length > 0
      ? picomatch(caseless, { ...options, nocase: true, flags: `${options.flags ?? ''}i` })
      : undefined;
  if (!ignoreCase) return matchCase ?? (() => false);
  if (!matchCase) return ignoreCase;
  return (path) => matchCase(path) || ignoreCase(path);
}
