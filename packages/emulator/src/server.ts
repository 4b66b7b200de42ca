import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EntityValidator, type Blueprint } from '@port-gitops/port-schema';
import { ApiError } from './api-error.js';
import { RateLimitWindow, seededRandom } from './faults.js';
import { DEFAULT_TOKEN_TTL_SECONDS, type EmulatorOptions } from './options.js';
import type { SearchQuery } from './search.js';
import { EntityStore, type StoredEntity, type WriteOptions } from './store.js';

/** Every request body is limited to 1 MiB (port-api.md §1). */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_BULK_UPSERT = 20;
const MAX_BULK_DELETE = 100;
const SEARCH_DEFAULT_LIMIT = 200;
const SEARCH_MAX_LIMIT = 1000;

/** One request and its answer, kept when `record` is set. */
export interface Exchange {
  method: string;
  /** The route as Port's OpenAPI spells it, e.g. `/v1/blueprints/{blueprint_identifier}/entities/bulk`. */
  route: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:5555`. */
  url: string;
  close(): Promise<void>;
  /** The catalogue, for tests that inspect state directly. */
  store: EntityStore;
  exchanges: Exchange[];
  /** Requests answered, by status (a dropped connection counts as status 0). */
  stats: { requests: number; byStatus: Record<number, number> };
}

interface Context {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  actor: string;
}
interface Answer {
  status: number;
  body: unknown;
}
type Handler = (ctx: Context) => Answer;
interface Route {
  method: string;
  pattern: string;
  segments: string[];
  auth: boolean;
  handle: Handler;
}

interface Token {
  value: string;
  clientId: string;
  expiresAtMs: number;
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const validator = new EntityValidator();
  const store = new EntityStore(loadBlueprints(options), validator);
  const exchanges: Exchange[] = [];
  const stats: RunningEmulator['stats'] = { requests: 0, byStatus: {} };
  const count = (status: number) => {
    stats.requests++;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };
  const random = seededRandom(options.seed ?? Date.now());
  const rateLimit = options.rateLimit
    ? new RateLimitWindow(options.rateLimit.requests, options.rateLimit.windowSeconds)
    : undefined;
  const tokenTtlMs = (options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000;
  const tokensByValue = new Map<string, Token>();
  const tokensByClient = new Map<string, Token>();

  const persist = options.dataFile ? debouncedWriter(options.dataFile, () => store.all()) : undefined;
  if (options.dataFile && existsSync(options.dataFile)) {
    const saved = JSON.parse(readFileSync(options.dataFile, 'utf8')) as { entities?: StoredEntity[] };
    store.restore(saved.entities ?? []);
  }
  if (persist) store.onChange = persist.schedule;

  const issueToken = (clientId: string): Token => {
    const now = Date.now();
    const current = tokensByClient.get(clientId);
    // One active token per credential set: asking again returns the same one (port-api.md §1).
    if (current && current.expiresAtMs > now) return current;
    const token: Token = {
      value: `emu.${randomBytes(24).toString('base64url')}`,
      clientId,
      expiresAtMs: now + tokenTtlMs,
    };
    if (current) tokensByValue.delete(current.value);
    tokensByValue.set(token.value, token);
    tokensByClient.set(clientId, token);
    return token;
  };

  const routes = buildRoutes(store, issueToken, options);

  const server = createServer((req, res) => {
    void handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'internal_error', message: String(error) });
    });
  });
  // Keep-alive sockets would hold close() open; the emulator closes them itself.
  server.keepAliveTimeout = 5000;

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-trace-id', randomUUID());
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = matchRoute(routes, req.method ?? 'GET', url.pathname);
    const raw = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);

    if (options.resetRate && random() < options.resetRate) {
      count(0);
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    if (rateLimit && route?.route.auth) {
      const taken = rateLimit.take(Date.now());
      Object.assign(headers, taken.headers);
      if (!taken.allowed) headers['retry-after'] = String(taken.retryAfterSeconds);
      if (options.latencyMs) await sleep(options.latencyMs);
      if (!taken.allowed) {
        return finish(req, res, route.route.pattern, url, undefined, headers, {
          status: 429,
          body: new ApiError(429, 'Too many requests, retry later').toBody(),
        });
      }
    } else if (options.latencyMs) {
      await sleep(options.latencyMs);
    }

    let requestBody: unknown;
    let answer: Answer;
    try {
      if (!route) throw new ApiError(404, `Route ${req.method} ${url.pathname} was not found`);
      if (raw === 'too-large') throw new ApiError(413, `Request body is too large (limit is 1MiB)`);
      requestBody = parseJsonBody(raw);
      const actor = route.route.auth ? authenticate(req) : '';
      if (options.errorRate && route.route.auth && random() < options.errorRate) {
        throw new ApiError(503, 'Service temporarily unavailable (injected fault)');
      }
      answer = route.route.handle({ req, params: route.params, query: url.searchParams, body: requestBody, actor });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { status: error.status, body: error.toBody() };
    }
    finish(req, res, route?.route.pattern ?? url.pathname, url, requestBody, headers, answer);
  }

  function finish(
    req: IncomingMessage,
    res: ServerResponse,
    pattern: string,
    url: URL,
    requestBody: unknown,
    headers: Record<string, string>,
    answer: Answer,
  ): void {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    send(res, answer.status, answer.body);
    count(answer.status);
    if (options.record) {
      const query: Record<string, string[]> = {};
      for (const key of url.searchParams.keys()) query[key] = url.searchParams.getAll(key);
      exchanges.push({
        method: req.method ?? 'GET',
        route: pattern,
        path: url.pathname,
        query,
        headers: req.headers,
        requestBody,
        status: answer.status,
        responseBody: answer.body,
      });
    }
  }

  function authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization ?? '';
    const value = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const token = tokensByValue.get(value);
    if (!token) throw new ApiError(401, 'Missing or invalid access token');
    if (token.expiresAtMs <= Date.now()) throw new ApiError(401, 'The access token has expired');
    return token.clientId;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5555, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    store,
    exchanges,
    stats,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      persist?.flush();
    },
  };
}

function buildRoutes(store: EntityStore, issueToken: (clientId: string) => Token, options: EmulatorOptions): Route[] {
  const route = (method: string, pattern: string, auth: boolean, handle: Handler): Route => ({
    method,
    pattern,
    segments: pattern.split('/').filter(Boolean),
    auth,
    handle,
  });
  const writeOptions = (ctx: Context): WriteOptions => ({
    upsert: booleanParam(ctx.query, 'upsert'),
    merge: booleanParam(ctx.query, 'merge'),
    validationOnly: booleanParam(ctx.query, 'validation_only'),
    createMissingRelated: booleanParam(ctx.query, 'create_missing_related_entities'),
    actor: ctx.actor,
    datasource: headerValue(ctx.req, 'user-agent'),
  });
  const bp = (ctx: Context) => ctx.params.blueprint_identifier!;

  return [
    route('POST', '/v1/auth/access_token', false, (ctx) => {
      const body = ctx.body as Record<string, unknown> | undefined;
      const keys = body && typeof body === 'object' ? Object.keys(body) : [];
      if (
        typeof body?.clientId !== 'string' ||
        typeof body?.clientSecret !== 'string' ||
        keys.some((k) => k !== 'clientId' && k !== 'clientSecret')
      ) {
        throw new ApiError(422, 'body must have required properties clientId and clientSecret, and no others');
      }
      const restricted = options.clientId !== undefined && options.clientSecret !== undefined;
      if (restricted && (body.clientId !== options.clientId || body.clientSecret !== options.clientSecret)) {
        throw new ApiError(401, 'Invalid client credentials');
      }
      const token = issueToken(body.clientId);
      const expiresIn = Math.max(0, Math.floor((token.expiresAtMs - Date.now()) / 1000));
      return { status: 200, body: { ok: true, accessToken: token.value, expiresIn, tokenType: 'Bearer' } };
    }),
    route('GET', '/v1/blueprints', true, () => ({
      status: 200,
      body: { ok: true, blueprints: store.listBlueprints() },
    })),
    route('GET', '/v1/blueprints/{identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, blueprint: store.blueprint(ctx.params.identifier!) },
    })),
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities', true, (ctx) => {
      const { entity } = store.write(bp(ctx), requireObject(ctx.body), writeOptions(ctx));
      return { status: 201, body: { ok: true, entity: present(entity) } };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities/bulk', true, (ctx) => {
      const entities = (ctx.body as { entities?: unknown } | undefined)?.entities;
      if (!Array.isArray(entities) || entities.length < 1 || entities.length > MAX_BULK_UPSERT) {
        throw new ApiError(422, `"entities" must be an array of 1 to ${MAX_BULK_UPSERT} entities`);
      }
      store.blueprint(bp(ctx));
      const write = writeOptions(ctx);
      const succeeded: Array<{ created: boolean; identifier: string; index: number; additionalData: object }> = [];
      const failed: Array<{ identifier: string; index: number; statusCode: number; error: string; message: string }> =
        [];
      entities.forEach((body, index) => {
        try {
          const { entity, created } = store.write(bp(ctx), requireObject(body), write);
          succeeded.push({ created, identifier: entity.identifier, index, additionalData: {} });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const identifier =
            typeof (body as { identifier?: unknown })?.identifier === 'string'
              ? (body as { identifier: string }).identifier
              : 'unknown';
          failed.push({ identifier, index, statusCode: error.status, error: error.error, message: error.message });
        }
      });
      // 200 when all succeeded, 207 Multi-Status otherwise (port-api.md §2.2).
      return {
        status: failed.length === 0 ? 200 : 207,
        body: { ok: failed.length === 0, entities: succeeded, errors: failed },
      };
    }),
    route('GET', '/v1/blueprints/{blueprint_identifier}/entities', true, (ctx) => ({
      status: 200,
      body: { ok: true, entities: store.list(bp(ctx)).map(present) },
    })),
    route('GET', '/v1/blueprints/{blueprint_identifier}/entities-count', true, (ctx) => ({
      status: 200,
      body: { ok: true, count: store.list(bp(ctx)).length },
    })),
    route('GET', '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}', true, (ctx) => ({
      status: 200,
      body: { ok: true, entity: present(store.get(bp(ctx), ctx.params.entity_identifier!)) },
    })),
    route('DELETE', '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier}', true, (ctx) => {
      store.delete(bp(ctx), ctx.params.entity_identifier!, booleanParam(ctx.query, 'delete_dependents'));
      return { status: 200, body: { ok: true } };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/bulk/entities/delete', true, (ctx) => {
      const ids = (ctx.body as { entities?: unknown } | undefined)?.entities;
      if (
        !Array.isArray(ids) ||
        ids.length < 1 ||
        ids.length > MAX_BULK_DELETE ||
        ids.some((id) => typeof id !== 'string')
      ) {
        throw new ApiError(422, `"entities" must be an array of 1 to ${MAX_BULK_DELETE} identifiers`);
      }
      const deleted = store.deleteMany(bp(ctx), ids as string[], booleanParam(ctx.query, 'delete_dependents'));
      return { status: 200, body: { ok: true, deletedEntities: deleted } };
    }),
    route('POST', '/v1/entities/search', true, (ctx) => {
      const query = requireObject(ctx.body) as unknown as SearchQuery;
      const entities = store.search(query);
      const blueprints = [...new Set(entities.map((e) => e.blueprint))];
      return {
        status: 200,
        body: { ok: true, matchingBlueprints: blueprints, failedBlueprints: [], entities: entities.map(present) },
      };
    }),
    route('POST', '/v1/blueprints/{blueprint_identifier}/entities/search', true, (ctx) => {
      const body = requireObject(ctx.body) as { query?: SearchQuery; limit?: unknown; from?: unknown };
      const limit = body.limit === undefined ? SEARCH_DEFAULT_LIMIT : Number(body.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX_LIMIT) {
        throw new ApiError(422, `"limit" must be an integer from 1 to ${SEARCH_MAX_LIMIT}`);
      }
      const all = (body.query ? store.search(body.query, bp(ctx)) : store.list(bp(ctx))).sort((a, b) =>
        a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0,
      );
      // The cursor is the last identifier of the previous page; stable while entities are added.
      const after = typeof body.from === 'string' ? Buffer.from(body.from, 'base64url').toString('utf8') : undefined;
      const start = after === undefined ? 0 : all.findIndex((e) => e.identifier > after);
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const last = page.at(-1);
      const more = start >= 0 && start + limit < all.length;
      return {
        status: 200,
        body: {
          ok: true,
          entities: page.map(present),
          ...(more && last ? { next: Buffer.from(last.identifier).toString('base64url') } : {}),
        },
      };
    }),
  ];
}

/** The entity as Port's GET answers it: the datasource is internal (whether Port returns it is unverified). */
function present(entity: StoredEntity): Omit<StoredEntity, 'datasource'> {
  const { datasource: _datasource, ...shown } = entity;
  return shown;
}

function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < segments.length && matched; i++) {
      const want = route.segments[i]!;
      const got = decodeSegment(segments[i]!);
      if (want.startsWith('{')) params[want.slice(1, -1)] = got;
      else matched = want === got;
    }
    if (matched) return { route, params };
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

function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApiError(422, `querystring/${name} must be boolean`);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(422, 'body must be object');
  return body as Record<string, unknown>;
}

function parseJsonBody(raw: Buffer | undefined): unknown {
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'Body is not valid JSON');
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      tooLarge = true; // keep draining so the answer can be read
    else chunks.push(chunk as Buffer);
  }
  if (tooLarge) return 'too-large';
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function loadBlueprints(options: EmulatorOptions): Blueprint[] {
  const blueprints = [...(options.blueprints ?? [])];
  const stamp = (blueprint: Blueprint): Blueprint => {
    // Port stamps every blueprint; its answer requires these fields (apispec GET /v1/blueprints/{identifier}).
    const now = new Date().toISOString();
    return { createdAt: now, createdBy: 'emulator', updatedAt: now, updatedBy: 'emulator', ...blueprint };
  };
  if (options.blueprintsDir) {
    for (const name of readdirSync(options.blueprintsDir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const parsed = JSON.parse(readFileSync(join(options.blueprintsDir, name), 'utf8')) as
        | Blueprint
        | { blueprint: Blueprint };
      // Accept both a bare definition and the `{ ok, blueprint }` answer saved from Port.
      blueprints.push(
        'blueprint' in parsed && typeof parsed.blueprint === 'object'
          ? (parsed.blueprint as Blueprint)
          : (parsed as Blueprint),
      );
    }
  }
  return blueprints.map(stamp);
}

/** Persists the catalogue at most every 50 ms, atomically (write then rename). */
function debouncedWriter(file: string, snapshot: () => StoredEntity[]) {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ entities: snapshot() }));
    renameSync(tmp, file);
  };
  return {
    schedule: () => {
      dirty = true;
      timer ??= setTimeout(flush, 50);
    },
    flush,
  };
}
