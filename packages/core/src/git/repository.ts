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
}

/** Finds the repository around `cwd` with one git call. */
export async function describeRepository(cwd: string): Promise<RepositoryInfo> {
  let gitRoot: string | undefined;
  let head: string | null = null;
  try {
    const [top, sha] = (await gitText(cwd, ['rev-parse', '--show-toplevel', 'HEAD'])).trim().split('\n');
    gitRoot = top;
    head = sha || null;
  } catch {
    // No commit yet, or not a repository at all.
    gitRoot = (await gitText(cwd, ['rev-parse', '--show-toplevel']).catch(() => '')).trim() || undefined;
  }
  const root = findConfigRoot(resolve(cwd), gitRoot) ?? gitRoot ?? resolve(cwd);
  return { root, gitRoot, head };
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
