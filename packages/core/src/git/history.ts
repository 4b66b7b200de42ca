import { FULL_SHA, type Git } from './git.js';
import { fetchCommits, mergeBaseFetching, reachCommit } from './range.js';

/**
 * How commit `later` stands to commit `earlier`: the same commit, a descendant (`ahead`), an ancestor
 * (`behind`), neither (`diverged`: a rewritten history), or `unknown` when `earlier` cannot be found,
 * even fetched by SHA (a commit lost to a force push).
 */
export type Lineage = 'same' | 'ahead' | 'behind' | 'diverged' | 'unknown';

/**
 * Questions about the order of commits, asked of a clone that may not hold the commits in question: a
 * commit another CI run synced is often pushed after this run's checkout, and a shallow clone lacks the
 * history between. What is missing is fetched (by SHA), and a shallow clone deepened, before any answer.
 */
export class History {
  constructor(private readonly git: Git) {}

  async lineage(earlier: string, later: string): Promise<Lineage> {
    if (earlier === later) return 'same';
    if (!(await reachCommit(this.git, earlier))) return 'unknown';
    const mergeBase = await mergeBaseFetching(this.git, earlier, later);
    if (mergeBase === earlier) return 'ahead';
    if (mergeBase === later) return 'behind';
    return 'diverged';
  }

  /**
   * Which of these commits descend from `head` (written by a run of a newer commit): for any number of
   * them, one `git cat-file` and one `git rev-list` when none does, and a check for each that might. A
   * commit that cannot be found proves nothing and is left out.
   */
  async descendantsOf(head: string, commits: Iterable<string>): Promise<Set<string>> {
    const wanted = [...new Set(commits)].filter((commit) => commit !== head && FULL_SHA.test(commit));
    let missing = await this.git.missing(wanted);
    if (missing.length > 0) {
      await fetchCommits(this.git, missing);
      missing = await this.git.missing(missing);
    }
    const present = wanted.filter((commit) => !missing.includes(commit));
    const found = new Set<string>();
    for (const commit of await this.git.notAncestorsOf(head, present)) {
      if (await this.git.isAncestor(head, commit)) found.add(commit);
    }
    return found;
  }
}
