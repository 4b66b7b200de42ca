import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EntityValidator, MAX_BODY_BYTES } from '@port-gitops/port-schema';
import { ApiError } from './api-error.js';
import { rateLimitWindows, seededRandom } from './faults.js';
import { parseJsonBody, readBody, send, sleep } from './http.js';
import { DEFAULT_BLUEPRINT_CHANGES, DEFAULT_TOKEN_TTL_SECONDS, type EmulatorOptions } from './options.js';
import { debouncedWriter, loadBlueprints, readSavedCatalog } from './persistence.js';
import { type Answer, type Route, matchRoute } from './router.js';
import { authRoutes } from './routes/auth.js';
import { Migrations } from './migrations.js';
import { blueprintRoutes } from './routes/blueprints.js';
import { entityRoutes } from './routes/entities.js';
import { searchRoutes } from './routes/search.js';
import { EntityStore } from './store.js';
import { Tokens } from './tokens.js';

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
  /** When the request arrived and when its answer was sent (ms since the epoch), to see what overlapped. */
  receivedAtMs: number;
  answeredAtMs: number;
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

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const store = new EntityStore(loadBlueprints(options), new EntityValidator({ verbose: true }), {
    ...(options.teams ? { teams: options.teams } : {}),
    blueprintChanges: { ...DEFAULT_BLUEPRINT_CHANGES, ...options.blueprintChanges },
  });
  const persist = options.dataFile
    ? debouncedWriter(options.dataFile, () => ({ entities: store.all(), blueprints: store.createdBlueprints() }))
    : undefined;
  if (options.dataFile) store.restore(readSavedCatalog(options.dataFile));
  if (persist) store.onChange = persist.schedule;

  const tokens = new Tokens((options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000);
  const routes = [
    ...authRoutes(tokens, options),
    ...blueprintRoutes(store, new Migrations(store)),
    ...entityRoutes(store),
    ...searchRoutes(store),
  ];
  const exchanges: Exchange[] = [];
  const stats: RunningEmulator['stats'] = { requests: 0, byStatus: {} };
  const handle = requestHandler({ routes, tokens, options, exchanges, stats });

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'internal_error', message: String(error) });
    });
  });
  // Keep-alive sockets would hold close() open; the emulator closes them itself.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5555, options.host ?? '127.0.0.1', () => resolve());
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

interface HandlerDeps {
  routes: Route[];
  tokens: Tokens;
  options: EmulatorOptions;
  exchanges: Exchange[];
  stats: RunningEmulator['stats'];
}

/**
 * One request: faults first (a dropped connection, throttling, latency, an injected 503), then the
 * route, then the answer with its headers, counted and, when asked, recorded.
 */
function requestHandler({ routes, tokens, options, exchanges, stats }: HandlerDeps) {
  const random = seededRandom(options.seed ?? Date.now());
  const windowOf = rateLimitWindows(options.rateLimit, options.tokenRateLimit);
  const count = (status: number) => {
    stats.requests++;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };

  const finish = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    pattern: string,
    requestBody: unknown,
    headers: Record<string, string>,
    answer: Answer,
    receivedAtMs: number,
  ) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    send(res, answer.status, answer.body);
    count(answer.status);
    if (!options.record) return;
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
      receivedAtMs,
      answeredAtMs: Date.now(),
    });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAtMs = Date.now();
    res.setHeader('x-trace-id', randomUUID());
    const url = new URL(req.url ?? '/', 'http://emulator');
    const matched = matchRoute(routes, req.method ?? 'GET', url.pathname);
    const pattern = matched?.route.pattern ?? url.pathname;
    const raw = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);

    if (options.resetRate && random() < options.resetRate) {
      count(0);
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    const window = windowOf?.(matched?.route).take(Date.now());
    if (window) Object.assign(headers, window.headers);
    if (options.latencyMs) await sleep(options.latencyMs);
    if (window && !window.allowed) {
      const answer = { status: 429, body: new ApiError('rate-limited', 'too many requests in this window').toBody() };
      return finish(req, res, url, pattern, undefined, headers, answer, receivedAtMs);
    }

    let requestBody: unknown;
    let answer: Answer;
    try {
      if (!matched) throw new ApiError('not-found', `route ${req.method} ${url.pathname} was not found`);
      if (raw === 'too-large') throw new ApiError('body-too-large', "the body is larger than Port's 1 MiB limit");
      requestBody = parseJsonBody(raw);
      const actor = matched.route.auth ? tokens.authenticate(req) : '';
      if (options.errorRate && matched.route.auth && random() < options.errorRate) {
        throw new ApiError('injected-fault', 'service unavailable (a fault the emulator injected)');
      }
      if (options.writeErrorRate && isWrite(matched.route) && random() < options.writeErrorRate) {
        throw new ApiError('injected-fault', 'service unavailable for writes (a fault the emulator injected)');
      }
      matched.route.checkBody?.(requestBody);
      answer = matched.route.handle({ req, params: matched.params, query: url.searchParams, body: requestBody, actor });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { status: error.status, body: error.toBody() };
    }
    finish(req, res, url, pattern, requestBody, headers, answer, receivedAtMs);
  };
}

/** A request that changes the catalogue: anything but a read, a search or a token. */
function isWrite(route: Route): boolean {
  return route.auth && route.method !== 'GET' && !route.pattern.endsWith('/search');
}
