/** The branch a CI run syncs, and where that was read. */
export interface TrackedBranch {
  name: string;
  /** The CI run's page, recorded with the watermark: who synced it. */
  runUrl: string | undefined;
}

/**
 * The branch of a CI run that syncs a branch (a push, a schedule, a manual run; never a pull or merge
 * request, which syncs nothing): GitHub Actions' `GITHUB_REF_NAME` for a branch ref, GitLab's
 * `CI_COMMIT_BRANCH`. Outside CI, undefined: there is no run to keep in order.
 */
export function ciBranch(env: NodeJS.ProcessEnv): TrackedBranch | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    if ((env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request')) return undefined;
    if (env.GITHUB_REF_TYPE !== 'branch' || !env.GITHUB_REF_NAME) return undefined;
    const runUrl =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return { name: env.GITHUB_REF_NAME, runUrl };
  }
  if (env.GITLAB_CI === 'true') {
    if (env.CI_MERGE_REQUEST_IID || !env.CI_COMMIT_BRANCH) return undefined;
    return { name: env.CI_COMMIT_BRANCH, runUrl: env.CI_JOB_URL || env.CI_PIPELINE_URL || undefined };
  }
  return undefined;
}
