/**
 * The plan as one comment on the pull request (GitHub) or merge request (GitLab): created on the first
 * run, edited in place on each later one (found by a hidden marker at the start of its body, never by
 * position), reduced to "no change in Port" once the plan is empty. Nothing here can fail a run: a pull
 * request from a fork, a token without write access or an API error leaves the plan in the step summary
 * and says why no comment was written.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import type { Report } from '@port-gitops/core';
import type { Output } from './output.js';
import { planMarkdown } from './plan-markdown.js';

/** Starts every comment port-gitops writes; a comment that does not start with it is never touched. */
const COMMENT_MARKER = '<!-- port-gitops plan -->';

/** GitHub refuses a comment body longer than this (in characters); GitLab's limit is far above it. */
const GITHUB_COMMENT_LIMIT = 65_536;
const GITLAB_NOTE_LIMIT = 1_000_000;
const PAGE_SIZE = 100;
/** Comments read at most, a page at a time, looking for the marker. */
const MAX_PAGES = 50;

interface Host {
  name: 'GitHub' | 'GitLab';
  limit: number;
  /** Where the full plan is when the comment holds only its summary. */
  fullPlanAt: string;
  list(page: number): Promise<Array<{ id: number; body: string }>>;
  create(body: string): Promise<void>;
  update(id: number, body: string): Promise<void>;
}

/** What became of the comment, for the log. */
export type CommentOutcome = { written: 'created' | 'updated' | 'unchanged' } | { written: false; why: string };

/**
 * Writes the plan of `report` as the pull request's port-gitops comment, and prints one line saying what
 * it did (or why it did not). Every body passes `output.redact`, as any output does.
 */
export async function commentPlan(report: Report, output: Output, env: NodeJS.ProcessEnv): Promise<CommentOutcome> {
  const outcome = await writeComment(report, output, env).catch(
    (error: unknown): CommentOutcome => ({ written: false, why: (error as Error).message }),
  );
  if (outcome.written === false) {
    output.err(`note: no pull request comment was written: ${outcome.why}`);
    if (env.GITHUB_STEP_SUMMARY) {
      try {
        appendFileSync(env.GITHUB_STEP_SUMMARY, output.redact(`\n_No pull request comment: ${outcome.why}._\n`));
      } catch {
        // The note above says it already.
      }
    }
  } else {
    output.err(`note: the plan's pull request comment is ${outcome.written}`);
  }
  return outcome;
}

async function writeComment(report: Report, output: Output, env: NodeJS.ProcessEnv): Promise<CommentOutcome> {
  const found = hostOf(env);
  if ('why' in found) return { written: false, why: found.why };
  const host = found.host;
  const empty =
    !report.entities.some((entity) => entity.change && entity.change !== 'unchanged') &&
    (report.blueprints ?? []).length === 0;
  let body = `${COMMENT_MARKER}\n${planMarkdown(report)}`;
  if (body.length > host.limit) {
    body = `${COMMENT_MARKER}\n${planMarkdown(report, { countsOnly: true })}\nThe plan is too long for a ${host.name} comment: these are its counts; ${host.fullPlanAt} has every entity.\n`;
  }
  body = output.redact(body);
  const existing = await findComment(host);
  if (!existing) {
    if (empty)
      return { written: false, why: 'the plan changes nothing in Port, and no earlier plan comment needs updating' };
    await host.create(body);
    return { written: 'created' };
  }
  if (existing.body === body) return { written: 'unchanged' };
  await host.update(existing.id, body);
  return { written: 'updated' };
}

async function findComment(host: Host): Promise<{ id: number; body: string } | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await host.list(page);
    const ours = comments.find((comment) => comment.body.startsWith(COMMENT_MARKER));
    if (ours) return ours;
    if (comments.length < PAGE_SIZE) return undefined;
  }
  return undefined;
}

/** The pull request this run is for, and how to reach its comments; or why there is none to write. */
function hostOf(env: NodeJS.ProcessEnv): { host: Host } | { why: string } {
  if (env.GITHUB_ACTIONS === 'true') return githubHost(env);
  if (env.GITLAB_CI === 'true') return gitlabHost(env);
  return { why: 'not running in GitHub Actions or GitLab CI, where the pull request is known' };
}

function githubHost(env: NodeJS.ProcessEnv): { host: Host } | { why: string } {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event !== 'pull_request' && event !== 'pull_request_target') {
    return { why: `the workflow runs for a ${event || 'non-pull-request'} event, not a pull request` };
  }
  let payload: {
    pull_request?: {
      number?: number;
      head?: { repo?: { full_name?: string } | null };
      base?: { repo?: { full_name?: string } };
    };
  };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8'));
  } catch {
    return { why: 'the event file ($GITHUB_EVENT_PATH) cannot be read, so the pull request is not known' };
  }
  const pull = payload.pull_request;
  if (!pull?.number) return { why: 'the event names no pull request' };
  const head = pull.head?.repo?.full_name;
  const base = pull.base?.repo?.full_name ?? env.GITHUB_REPOSITORY;
  if (event === 'pull_request' && head !== base) {
    return {
      why: `the pull request comes from a fork (${head ?? 'a deleted repository'}), whose token cannot write comments`,
    };
  }
  const token = env.GITHUB_TOKEN;
  if (!token) return { why: 'no GITHUB_TOKEN (the Action passes its github-token input)' };
  const api = apiBase(env.GITHUB_API_URL ?? 'https://api.github.com', 'GITHUB_API_URL');
  if ('why' in api) return api;
  const repository = base ?? '';
  return {
    host: restHost({
      name: 'GitHub',
      limit: GITHUB_COMMENT_LIMIT,
      fullPlanAt: "this job's step summary",
      api: api.url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      },
      comments: `/repos/${repository}/issues/${pull.number}/comments`,
      comment: (id) => `/repos/${repository}/issues/comments/${id}`,
      update: 'PATCH',
    }),
  };
}

function gitlabHost(env: NodeJS.ProcessEnv): { host: Host } | { why: string } {
  const iid = env.CI_MERGE_REQUEST_IID;
  const project = env.CI_PROJECT_ID;
  if (!iid || !project) return { why: 'the pipeline is not for a merge request (no CI_MERGE_REQUEST_IID)' };
  const token = env.GITLAB_TOKEN;
  if (!token) {
    return {
      why: 'no GITLAB_TOKEN: a CI job token cannot write merge request notes; give a project access token with the api scope',
    };
  }
  const api = apiBase(env.CI_API_V4_URL ?? '', 'CI_API_V4_URL');
  if ('why' in api) return api;
  const notes = `/projects/${encodeURIComponent(project)}/merge_requests/${encodeURIComponent(iid)}/notes`;
  return {
    host: restHost({
      name: 'GitLab',
      limit: GITLAB_NOTE_LIMIT,
      fullPlanAt: 'the file --markdown writes (keep it as an artifact)',
      api: api.url,
      headers: { 'private-token': token, accept: 'application/json' },
      comments: notes,
      listQuery: '&sort=asc',
      comment: (id) => `${notes}/${id}`,
      update: 'PUT',
    }),
  };
}

/** The comments of one pull request through a REST API: listed a page at a time, created, edited. */
function restHost(spec: {
  name: Host['name'];
  limit: number;
  fullPlanAt: string;
  api: URL;
  headers: Record<string, string>;
  /** The path of the pull request's comments (list, create), and of one of them (edit). */
  comments: string;
  listQuery?: string;
  comment: (id: number) => string;
  update: 'PATCH' | 'PUT';
}): Host {
  const { api, headers } = spec;
  return {
    name: spec.name,
    limit: spec.limit,
    fullPlanAt: spec.fullPlanAt,
    list: async (page) => {
      const path = `${spec.comments}?per_page=${PAGE_SIZE}&page=${page}${spec.listQuery ?? ''}`;
      const comments = await call<Array<{ id: number; body?: string }>>(api, 'GET', path, headers);
      return comments.map(({ id, body }) => ({ id, body: body ?? '' }));
    },
    create: async (body) => void (await call(api, 'POST', spec.comments, headers, { body })),
    update: async (id, body) => void (await call(api, spec.update, spec.comment(id), headers, { body })),
  };
}

/** The API's base URL: https, or plain http to a loopback address only (a token never crosses a network unencrypted). */
function apiBase(text: string, variable: string): { url: URL } | { why: string } {
  let url: URL;
  try {
    url = new URL(text.replace(/\/+$/, ''));
  } catch {
    return { why: `${variable} is not a URL` };
  }
  const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { why: `${variable} must be https (plain http only to a loopback address)` };
  }
  return { url };
}

/**
 * One request to the API: the token goes only to the API's own origin, and a redirect is never followed
 * (it would carry the token elsewhere). A failure says the status and the API's message, never the token.
 */
async function call<T = unknown>(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const url = new URL(base.href.replace(/\/+$/, '') + path);
  if (url.origin !== base.origin) throw new Error(`refusing to send the token to ${url.origin}`);
  const response = await fetch(url, {
    method,
    headers: { ...headers, 'user-agent': 'port-gitops', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  }).catch((error: unknown) => {
    throw new Error(`${method} ${url.pathname} could not reach the API: ${(error as Error).message}`);
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON: the text as it is
    }
    const hint =
      response.status === 403 || response.status === 401
        ? ' (the token may not write comments: the workflow needs `pull-requests: write`)'
        : '';
    throw new Error(`${method} ${url.pathname} answered ${response.status}: ${message}${hint}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
