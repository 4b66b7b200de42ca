import { readFileSync } from 'node:fs';
import { ZERO_SHA } from './git.js';

/** The base a CI run should compare against, and where it was found. */
export interface DetectedBase {
  /** A ref or commit to compare with; undefined when the CI says there is none (a new branch). */
  ref: string | undefined;
  /** For a new branch: the default branch to compare with instead, when the CI names it. */
  defaultBranchRef?: string;
  /** Human words for the report and errors: "GitHub Actions push (before 1a2b3c4d)". */
  source: string;
}

/**
 * The base of the change a CI run is about, when neither `--all` nor `--base` is given:
 * - GitHub Actions pull request: `origin/$GITHUB_BASE_REF` (three-dot, as the pull request shows it);
 * - GitHub Actions push: `before` from the event file at `$GITHUB_EVENT_PATH`;
 * - GitLab merge request: `$CI_MERGE_REQUEST_DIFF_BASE_SHA`; GitLab push: `$CI_COMMIT_BEFORE_SHA`.
 * An all-zero `before` (a new branch) has no base: the default branch is offered instead.
 */
export function detectCiBase(env: NodeJS.ProcessEnv): DetectedBase | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    const event = env.GITHUB_EVENT_NAME ?? '';
    if ((event === 'pull_request' || event === 'pull_request_target') && env.GITHUB_BASE_REF) {
      return { ref: `origin/${env.GITHUB_BASE_REF}`, source: `GitHub Actions ${event} into ${env.GITHUB_BASE_REF}` };
    }
    if (event === 'push' && env.GITHUB_EVENT_PATH) {
      const payload = readEvent(env.GITHUB_EVENT_PATH);
      const before = typeof payload?.before === 'string' ? payload.before : undefined;
      const defaultBranch = (payload?.repository as { default_branch?: unknown } | undefined)?.default_branch;
      const defaultBranchRef = typeof defaultBranch === 'string' ? `origin/${defaultBranch}` : undefined;
      if (before && !ZERO_SHA.test(before))
        return { ref: before, source: `GitHub Actions push (before ${before.slice(0, 8)})` };
      if (before)
        return {
          ref: undefined,
          ...(defaultBranchRef ? { defaultBranchRef } : {}),
          source: 'GitHub Actions push of a new branch',
        };
    }
    return undefined;
  }
  if (env.GITLAB_CI === 'true') {
    if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA) {
      return {
        ref: env.CI_MERGE_REQUEST_DIFF_BASE_SHA,
        source: `GitLab merge request (base ${env.CI_MERGE_REQUEST_DIFF_BASE_SHA.slice(0, 8)})`,
      };
    }
    const before = env.CI_COMMIT_BEFORE_SHA;
    const defaultBranchRef = env.CI_DEFAULT_BRANCH ? `origin/${env.CI_DEFAULT_BRANCH}` : undefined;
    if (before && !ZERO_SHA.test(before)) return { ref: before, source: `GitLab push (before ${before.slice(0, 8)})` };
    if (before)
      return {
        ref: undefined,
        ...(defaultBranchRef ? { defaultBranchRef } : {}),
        source: 'GitLab push of a new branch',
      };
  }
  return undefined;
}

function readEvent(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
