import type { DetectedBase } from './ci-base.js';
import { FatalError } from '../errors.js';
import { FULL_SHA, type Git } from './git.js';

export interface RangeRequest {
  /** `--base`, when given. */
  base?: string;
  /**
   * Compare with `base` itself rather than with its merge-base with the head: the base names the tree
   * Port holds (a branch's watermark), so the change is exactly what turns that tree into the head's.
   */
  exact?: boolean;
  /** `--head` (default HEAD). */
  head: string;
  /** The checked-out commit, already known to the caller. */
  checkedOut: string | null;
  /** The merge-base of a ref and the checked-out commit, when the caller already asked (describeRepository). */
  knownMergeBase?: { of: string; commit: string } | undefined;
  /** What the CI environment says, when `--base` is not given. */
  ci?: DetectedBase;
  /** `--fallback-all`: select everything rather than fail when the base cannot be resolved. */
  fallbackAll: boolean;
}

export type ResolvedRange =
  | { kind: 'range'; mergeBase: string; head: string; note?: string }
  | { kind: 'all'; head: string; reason: string };

/** How far to deepen a shallow clone, step by step, before fetching the whole history. */
const DEEPEN_STEPS: Array<number | 'unshallow'> = [100, 1000, 'unshallow'];

/**
 * The merge-base of the base and head (three-dot, as a pull request shows a change). A base that
 * cannot be resolved is never taken as "nothing changed": a shallow clone is deepened when a remote
 * can be asked; then `--fallback-all` selects everything; otherwise the run ends (exit 3) saying how
 * to fix it.
 */
export async function resolveRange(git: Git, request: RangeRequest): Promise<ResolvedRange> {
  const head = request.head === 'HEAD' && request.checkedOut ? request.checkedOut : await git.commit(request.head);
  if (!head) throw new FatalError('git', `--head ${request.head} does not name a commit`);
  if (head !== request.checkedOut) {
    // Entity files are read from the working tree, so it must be the head.
    throw new FatalError(
      'usage',
      `--head ${request.head} is not the checked-out commit`,
      `run \`git checkout ${request.head}\` first, or leave --head out`,
    );
  }

  const unresolved = (message: string, hint: string): ResolvedRange => {
    if (request.fallbackAll)
      return { kind: 'all', head, reason: `${message}; --fallback-all selected every entity file` };
    throw new FatalError(
      'git',
      message,
      `${hint}, or pass --fallback-all to select every entity file instead, or --all`,
    );
  };

  let baseRef = request.base ?? request.ci?.ref;
  let note = request.ci && !request.base ? `base from ${request.ci.source}` : undefined;
  if (!baseRef && request.ci?.defaultBranchRef) {
    baseRef = request.ci.defaultBranchRef;
    note = `${request.ci.source}: compared with ${baseRef}`;
  }
  if (!baseRef) {
    return unresolved(
      `${request.ci?.source ?? 'the CI'} gives no base to compare with (the before SHA is all zeros)`,
      'pass --base with the branch this one starts from',
    );
  }

  if (request.exact) {
    const commit = await reachCommit(git, baseRef);
    if (commit) return { kind: 'range', mergeBase: commit, head, ...(note ? { note } : {}) };
  }
  const mergeBase =
    request.knownMergeBase?.of === baseRef
      ? request.knownMergeBase.commit
      : await mergeBaseFetching(git, baseRef, head);
  if (!mergeBase) {
    const shallow = await git.isShallow();
    const known = await git.commit(baseRef);
    if (shallow) {
      return unresolved(
        `the base ${baseRef} ${known ? 'shares no history with HEAD in' : 'is not in'} this shallow clone`,
        'fetch the full history: with actions/checkout set `fetch-depth: 0`, in GitLab set `GIT_DEPTH: 0`, or run `git fetch --unshallow`',
      );
    }
    if (!known) {
      return unresolved(
        `the base ${baseRef} does not exist in this repository (a deleted branch, or a commit lost to a force push?)`,
        'pass --base with a ref that exists',
      );
    }
    return unresolved(
      `the base ${baseRef} and HEAD have no common history`,
      'pass --base with a ref HEAD descends from',
    );
  }
  return { kind: 'range', mergeBase, head, ...(note ? { note } : {}) };
}

/**
 * The merge-base of `baseRef` and `head`: one git call when all is well; otherwise the base is fetched
 * when it is missing and a shallow clone deepened until the merge-base appears (undefined if it never does).
 */
export async function mergeBaseFetching(git: Git, baseRef: string, head: string): Promise<string | undefined> {
  const mergeBase = await findMergeBase(git, baseRef, head);
  if (mergeBase) return mergeBase;
  const remote = await remoteOf(git);
  return remote ? fetchAndDeepen(git, remote, baseRef, head) : undefined;
}

/** The commit a ref names, fetched from the remote by SHA when this clone does not have it. */
export async function reachCommit(git: Git, ref: string): Promise<string | undefined> {
  const known = await git.commit(ref);
  if (known || !FULL_SHA.test(ref)) return known;
  await fetchCommits(git, [ref]);
  return git.commit(ref);
}

/**
 * Fetches commits this clone lacks, by SHA, all in one request (GitHub and GitLab serve any reachable
 * commit that way); when that fails or leaves some out, the remote's branches once. What still cannot
 * be found stays missing: the caller decides what that means.
 */
export async function fetchCommits(git: Git, shas: string[]): Promise<void> {
  const remote = await remoteOf(git);
  if (!remote || shas.length === 0) return;
  for (const refspecs of [shas, [`+refs/heads/*:refs/remotes/${remote}/*`]]) {
    try {
      await git.fetch(remote, refspecs);
    } catch {
      // Not served that way, or no network: the next way, or missing.
    }
    if ((await git.missing(shas)).length === 0) return;
  }
}

async function remoteOf(git: Git): Promise<string | undefined> {
  const remotes = await git.remotes();
  return remotes.includes('origin') ? 'origin' : remotes[0];
}

/** One git call when all is well; `merge-base` fails for a ref that does not resolve too. */
async function findMergeBase(git: Git, baseRef: string, head: string): Promise<string | undefined> {
  return git.mergeBase(baseRef, head);
}

/** Fetches the base if it is missing, then deepens a shallow clone until the merge-base appears. */
async function fetchAndDeepen(git: Git, remote: string, baseRef: string, head: string): Promise<string | undefined> {
  const branch = baseRef.startsWith(`${remote}/`) ? baseRef.slice(remote.length + 1) : undefined;
  const refspecs = branch
    ? [`+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]
    : /^[0-9a-f]{7,64}$/i.test(baseRef)
      ? [baseRef]
      : [];
  const attempt = async (step: () => Promise<void>) => {
    try {
      await step();
    } catch {
      // A fetch that fails (no such ref, no network) leaves the next step to try.
    }
    return findMergeBase(git, baseRef, head);
  };
  if (!(await git.commit(baseRef)) && refspecs.length > 0) {
    const found = await attempt(() => git.fetch(remote, refspecs));
    if (found) return found;
  }
  if (!(await git.isShallow())) return undefined;
  for (const depth of DEEPEN_STEPS) {
    // A bare SHA is not a refspec every server accepts: deepen what is already fetched instead.
    const found = await attempt(() => git.deepen(remote, depth, branch ? refspecs : []));
    if (found) return found;
    if (!(await git.isShallow())) break;
  }
  return undefined;
}
