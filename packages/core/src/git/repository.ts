import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/index.js';
import { gitText } from './git.js';

export interface RepositoryInfo {
  /**
   * Where entity paths are relative to: the nearest folder from `cwd` up to the git top level that
   * holds a port-gitops config file, else the git top level, else `cwd` itself.
   */
  root: string;
  /** The git working tree's top folder, or undefined outside git. */
  gitRoot: string | undefined;
  /** HEAD's commit, or null outside git or before the first commit. */
  head: string | null;
  /** The merge-base of `of` and HEAD, when it was asked for and git names exactly one. */
  mergeBase?: { of: string; commit: string };
}

/**
 * Finds the repository around `cwd` with one git call. Given `mergeBaseOf` (a changed-only run's base),
 * the same call also asks for the merge-base of that base and HEAD, so that the run's diff can start
 * as soon as the config is read; `mergeBase` is set only when git names exactly one (resolveRange asks
 * `git merge-base` itself otherwise, and fetches or deepens when the base is missing).
 */
export async function describeRepository(cwd: string, options: { mergeBaseOf?: string } = {}): Promise<RepositoryInfo> {
  const base = options.mergeBaseOf;
  // `A...HEAD` prints A, HEAD and `^` before each merge-base; `--` keeps a ref from being read as a path.
  const symmetric = base && !base.startsWith('-') && !base.includes('...') ? [`${base}...HEAD`, '--'] : [];
  let gitRoot: string | undefined;
  let head: string | null = null;
  let mergeBase: { of: string; commit: string } | undefined;
  try {
    let lines: string[];
    try {
      lines = (await gitText(cwd, ['rev-parse', '--show-toplevel', 'HEAD', ...symmetric])).trim().split('\n');
    } catch (error) {
      // A base that does not resolve: the repository is still described, and the range says what is wrong.
      if (symmetric.length === 0) throw error;
      lines = (await gitText(cwd, ['rev-parse', '--show-toplevel', 'HEAD'])).trim().split('\n');
    }
    gitRoot = lines[0];
    head = lines[1] || null;
    const bases = lines.filter((line) => line.startsWith('^')).map((line) => line.slice(1));
    if (base && bases.length === 1) mergeBase = { of: base, commit: bases[0]! };
  } catch {
    // No commit yet, or not a repository at all.
    gitRoot = (await gitText(cwd, ['rev-parse', '--show-toplevel']).catch(() => '')).trim() || undefined;
  }
  const root = findConfigRoot(resolve(cwd), gitRoot) ?? gitRoot ?? resolve(cwd);
  return { root, gitRoot, head, ...(mergeBase ? { mergeBase } : {}) };
}

/**
 * A stable name for the repository, for the User-Agent that Port records as `$datasource`: the
 * `origin` remote (`github.com/acme/repo`), then the CI's own name for it, then the folder name. It
 * must not change from one CI run to the next. Asked only by commands that talk to Port.
 */
export async function repositoryId(repository: RepositoryInfo, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let remote: string | undefined;
  if (repository.gitRoot) {
    // Exit 1 when the key is not set.
    remote =
      (await gitText(repository.root, ['config', '--get', 'remote.origin.url']).catch(() => '')).trim() || undefined;
  }
  return (
    (remote && normalizeRemote(remote)) || env.GITHUB_REPOSITORY || env.CI_PROJECT_PATH || basename(repository.root)
  );
}

function findConfigRoot(start: string, stop: string | undefined): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (CONFIG_FILE_NAMES.some((name) => existsSync(join(dir, name)))) return dir;
    const atTop = stop === undefined || relative(stop, dir) === '' || dirname(dir) === dir;
    if (atTop) return undefined;
  }
}

/** `git@github.com:acme/repo.git` and `https://user:token@github.com/acme/repo` both become `github.com/acme/repo`. */
function normalizeRemote(url: string): string {
  let text = url
    .trim()
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(text);
  if (scp) return `${scp[1]}/${scp[2]}`;
  try {
    const parsed = new URL(text);
    // Credentials in a remote URL never leave this function.
    text = `${parsed.host}${parsed.pathname}`;
  } catch {
    // A local path: keep its last two segments.
    text = text.split(/[\\/]/).slice(-2).join('/');
  }
  return text.replace(/\/+$/, '');
}
