import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';
import { bodyChecker } from './route-schema.js';

/** What a handler gets: the request, its path parameters, query, parsed body, and the token's client. */
export interface Context {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  actor: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface Route {
  method: string;
  /** As Port's OpenAPI spells it, e.g. `/v1/blueprints/{blueprint_identifier}/entities/bulk`. */
  pattern: string;
  segments: string[];
  /** Needs a bearer token. */
  auth: boolean;
  /** Refuses a body that does not match the route's schema, before the handler sees it. */
  checkBody: ((body: unknown) => void) | undefined;
  handle: (ctx: Context) => Answer;
}

export function route(method: string, pattern: string, auth: boolean, handle: Route['handle']): Route {
  const checkBody = bodyChecker(method, pattern);
  return { method, pattern, segments: pattern.split('/').filter(Boolean), auth, checkBody, handle };
}

/** The route a request goes to, with its decoded path parameters. */
export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = pathname.split('/').filter(Boolean);
  for (const candidate of routes) {
    if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < segments.length && matched; i++) {
      const want = candidate.segments[i]!;
      const got = decodeSegment(segments[i]!);
      if (want.startsWith('{')) params[want.slice(1, -1)] = got;
      else matched = want === got;
    }
    if (matched) return { route: candidate, params };
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A boolean query parameter: absent is false; anything but `true`/`false` is refused as Port's schema does. */
export function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApiError('route-schema', `querystring/${name} must be boolean`);
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
