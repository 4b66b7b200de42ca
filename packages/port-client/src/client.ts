import { setMaxListeners } from 'node:events';
import { MAX_SEARCH_PAGE } from '@port-gitops/port-schema';
import { AdaptiveLimit } from './adaptive-limit.js';
import { bulkBody, packBatches } from './batch.js';
import { PortApiError, PortAuthError, checkBaseUrl } from './errors.js';
import {
  MIN_THROTTLED_WAIT_MS,
  RETRYABLE_STATUSES,
  backoffDelay,
  isTransientNetworkError,
  serverWaitMs,
  sleep,
} from './retry.js';
import { type Answer, Transport } from './transport.js';
import type { EntityWriteResult, PortEntity, RemoteEntity, SearchQuery, UpsertOptions } from './types.js';

export type PortCredentials = { clientId: string; clientSecret: string } | { accessToken: string };

export interface PortClientOptions {
  /** API base, e.g. `https://api.port.io` (no `/v1`). */
  baseUrl: string;
  credentials: PortCredentials;
  /** Sent on every request; Port records it as `$datasource` (docs/port-fidelity.md). */
  userAgent: string;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries of a throttled or failed request. Default 5. */
  maxRetries?: number;
}

export interface RequestCounters {
  requests: number;
  retries: number;
  /** Answers 429. */
  throttled: number;
  /** Times the client slowed down before Port had to throttle (few requests left in its window). */
  slowedAhead: number;
}

interface CachedToken {
  value: string;
  refreshAtMs: number;
}

/** Waits a throttled request accepts before it gives up (each as long as Port asks, at most 2 min). */
const MAX_THROTTLED_WAITS = 50;

/** A client for the parts of Port's REST API that a GitOps push needs (docs/port-fidelity.md). */
export class PortClient {
  readonly baseUrl: string;
  readonly counters: RequestCounters = { requests: 0, retries: 0, throttled: 0, slowedAhead: 0 };
  private readonly credentials: PortCredentials;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  /** In flight at once: starts at `concurrency`, follows Port's throttling (see AdaptiveLimit). */
  readonly limit: AdaptiveLimit;
  /** The latest token request, shared by every caller (`refreshToken`), and its answer once received. */
  private token: Promise<CachedToken> | undefined;
  private tokenReceived: CachedToken | undefined;
  private stopped = false;
  /** Called as writes finish (a bulk batch, a single upsert, a delete), for progress displays. */
  onProgress: ((done: { entities: number; failed: number }) => void) | undefined;
  /** Aborts the requests still in flight when the grace period after `stop()` runs out. */
  private readonly inFlight = new AbortController();
  private readonly transport = new Transport();

  constructor(options: PortClientOptions) {
    checkBaseUrl(options.baseUrl);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.credentials = options.credentials;
    this.userAgent = options.userAgent;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 5;
    this.limit = new AdaptiveLimit(options.concurrency ?? 8);
    // Each request in flight listens for the end of grace: as many listeners as the concurrency allows,
    // which is no leak (Node warns past 10).
    setMaxListeners(0, this.inFlight.signal);
  }

  /**
   * Stops sending: nothing new starts (queued requests, retries and waits end as "interrupted"),
   * and requests in flight may finish within `graceMs`, after which they are aborted too.
   */
  stop(graceMs = 10_000): void {
    if (this.stopped) return;
    this.stopped = true;
    setTimeout(() => this.inFlight.abort(), graceMs).unref();
  }

  /** Fails fast with PortAuthError when the credentials are refused. */
  async authenticate(): Promise<void> {
    await this.accessToken();
  }

  async getBlueprint(identifier: string): Promise<Record<string, unknown>> {
    const body = await this.request<{ blueprint: Record<string, unknown> }>('GET', `/v1/blueprints/${enc(identifier)}`);
    return body.blueprint;
  }

  /**
   * Creates the blueprint unless Port has it: port-gitops's own watermark blueprint (docs/ci.md), without
   * a catalog page. Two runs creating it at once both succeed: Port's answer to the second is not
   * documented, so a refused creation is followed by a second look.
   */
  async ensureBlueprint(definition: Record<string, unknown> & { identifier: string }): Promise<void> {
    if (await this.hasBlueprint(definition.identifier)) return;
    try {
      await this.request('POST', '/v1/blueprints', { query: { create_catalog_page: 'false' }, body: definition });
    } catch (error) {
      if (error instanceof PortAuthError || !(await this.hasBlueprint(definition.identifier))) throw error;
    }
  }

  /**
   * `POST /v1/blueprints`: a new blueprint, with its catalog page (Port's default). A 409 (a retried
   * request that had landed, or a concurrent run) is success when Port now holds the identifier.
   */
  async createBlueprint(definition: Record<string, unknown> & { identifier: string }): Promise<void> {
    try {
      await this.request('POST', '/v1/blueprints', { body: definition });
    } catch (error) {
      if (!(error instanceof PortApiError && error.status === 409) || !(await this.hasBlueprint(definition.identifier)))
        throw error;
    }
  }

  /** `PUT /v1/blueprints/{identifier}`: the whole definition replaced by `definition`, every key as given. */
  async replaceBlueprint(identifier: string, definition: Record<string, unknown>): Promise<void> {
    await this.request('PUT', `/v1/blueprints/${enc(identifier)}`, { body: definition });
  }

  /** `DELETE /v1/blueprints/{identifier}`: Port refuses it while any entity of the blueprint exists. */
  async deleteBlueprint(identifier: string): Promise<void> {
    await this.request('DELETE', `/v1/blueprints/${enc(identifier)}`);
  }

  /**
   * `PATCH /v1/blueprints/{identifier}`: `partial` merged into the definition (a part named in a map, a
   * property or a relation, added or replaced; nothing removed): how a system blueprint is extended.
   */
  async patchBlueprint(identifier: string, partial: Record<string, unknown>): Promise<void> {
    await this.request('PATCH', `/v1/blueprints/${enc(identifier)}`, { body: partial });
  }

  /**
   * `DELETE /v1/blueprints/{identifier}/all-entities`: every entity of the blueprint deleted (and, with
   * `deleteBlueprint`, the blueprint after them), as one of Port's migrations; resolves once it has
   * completed, and throws when it fails.
   */
  async deleteAllEntities(blueprint: string, options: { deleteBlueprint: boolean }): Promise<void> {
    const answer = await this.request<{ migrationId?: string }>(
      'DELETE',
      `/v1/blueprints/${enc(blueprint)}/all-entities`,
      {
        query: { delete_blueprint: String(options.deleteBlueprint) },
      },
    );
    // The spec's answer has no id: then there is nothing to wait for.
    if (answer.migrationId) await this.waitForMigration(answer.migrationId);
  }

  /**
   * `POST /v1/migrations`: Port maps every entity of `sourceBlueprint` that passes `mapping.filter` (jq)
   * into `mapping.blueprint` with `mapping.entity` (jq per field); resolves once the migration has
   * completed, and throws when it fails.
   */
  async migrate(body: { sourceBlueprint: string; mapping: Record<string, unknown> }): Promise<void> {
    const answer = await this.request<{ migration: { id: string } }>('POST', '/v1/migrations', { body });
    await this.waitForMigration(answer.migration.id);
  }

  /**
   * Polls a migration until it ends: every 0.25 s at first, then less often, up to every 5 s (the
   * Terraform provider's pace), for at most `timeoutMs`. A failed or cancelled one throws with Port's reason.
   */
  private async waitForMigration(id: string, timeoutMs = 30 * 60 * 1000): Promise<void> {
    const started = Date.now();
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      const { migration } = await this.request<{ migration: { status: string; failureReason?: string } }>(
        'GET',
        `/v1/migrations/${enc(id)}`,
      );
      if (migration.status === 'COMPLETED') return;
      if (['FAILURE', 'CANCELLED', 'PENDING_CANCELLATION'].includes(migration.status)) {
        throw new Error(
          `Port's migration ${id} ended ${migration.status}${migration.failureReason ? `: ${migration.failureReason}` : ''}`,
        );
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `Port's migration ${id} is still ${migration.status} after ${Math.round(timeoutMs / 60000)} minutes`,
        );
      }
      await sleep(wait);
    }
  }

  private async hasBlueprint(identifier: string): Promise<boolean> {
    return (await this.findBlueprint(identifier)) !== undefined;
  }

  /** A blueprint's definition as Port holds it, or undefined when Port has no such blueprint. */
  async findBlueprint(identifier: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.getBlueprint(identifier);
    } catch (error) {
      if (error instanceof PortApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async listBlueprints(): Promise<Array<Record<string, unknown>>> {
    return (await this.request<{ blueprints: Array<Record<string, unknown>> }>('GET', '/v1/blueprints')).blueprints;
  }

  /** One entity, or undefined when Port answers 404. */
  async getEntity(blueprint: string, identifier: string): Promise<RemoteEntity | undefined> {
    try {
      const body = await this.request<{ entity: RemoteEntity }>(
        'GET',
        `/v1/blueprints/${enc(blueprint)}/entities/${enc(identifier)}`,
      );
      return body.entity;
    } catch (error) {
      if (error instanceof PortApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async countEntities(blueprint: string): Promise<number> {
    return (await this.request<{ count: number }>('GET', `/v1/blueprints/${enc(blueprint)}/entities-count`)).count;
  }

  /**
   * Every entity of a blueprint matching `query`, page by page (docs/port-fidelity.md); with `include`,
   * only those parts of each (`identifier`, `properties.origin`).
   */
  async searchBlueprintEntities(
    blueprint: string,
    query?: SearchQuery,
    options: { include?: string[]; pageSize?: number } = {},
  ): Promise<RemoteEntity[]> {
    const found: RemoteEntity[] = [];
    const limit = options.pageSize ?? MAX_SEARCH_PAGE;
    const include = options.include ? { include: options.include } : {};
    let from: string | undefined;
    do {
      const page: { entities: RemoteEntity[]; next?: string } = await this.request(
        'POST',
        `/v1/blueprints/${enc(blueprint)}/entities/search`,
        { body: { ...(query ? { query } : {}), ...include, limit, ...(from ? { from } : {}) } },
      );
      found.push(...page.entities);
      from = page.next;
    } while (from);
    return found;
  }

  async upsertEntity(blueprint: string, entity: PortEntity, options: UpsertOptions = {}): Promise<RemoteEntity> {
    const body = await this.request<{ entity: RemoteEntity }>('POST', `/v1/blueprints/${enc(blueprint)}/entities`, {
      query: upsertQuery(options),
      body: entity,
    });
    return body.entity;
  }

  /**
   * Upserts entities of one blueprint through the bulk route: bodies of at most 20 entities and 1 MiB,
   * sent concurrently within the client's limit. The result array is aligned with the input: each
   * entity's outcome is mapped back from Port's `index` (200 and 207 answers, docs/port-fidelity.md). A batch
   * refused as a whole for what it holds (400, 413, 422) is split until the entity at fault stands alone;
   * any other whole-batch failure fails each of its entities.
   */
  async upsertEntities(
    blueprint: string,
    entities: PortEntity[],
    options: UpsertOptions = {},
  ): Promise<EntityWriteResult[]> {
    const results: EntityWriteResult[] = new Array(entities.length);
    // An entity that cannot be serialized fails alone; its neighbours still go.
    const sendable: number[] = [];
    const bodies: string[] = [];
    entities.forEach((entity, index) => {
      try {
        bodies.push(JSON.stringify(entity));
        sendable.push(index);
      } catch (error) {
        results[index] = {
          ok: false,
          status: 0,
          error: 'client_error',
          message: `cannot be sent: ${(error as Error).message}`,
        };
      }
    });
    const path = `/v1/blueprints/${enc(blueprint)}/entities/bulk`;
    const query = upsertQuery(options);
    // A body is joined when its request starts, not when it is queued.
    const sendBatch = async (indexes: number[], body: () => string): Promise<void> => {
      try {
        const answer = await this.request<BulkAnswer>('POST', path, { query, rawBody: body });
        mapBulkAnswer(
          answer,
          indexes,
          indexes.map((index) => entities[index]!.identifier),
          results,
        );
        this.progress(indexes.map((index) => results[index]!));
      } catch (error) {
        if (error instanceof PortAuthError) throw error;
        if (indexes.length > 1 && refusedAsWhole(error)) {
          // One bad entity can make Port refuse the whole request: split until it stands alone, so
          // that its neighbours land and it fails with Port's own message.
          const half = Math.ceil(indexes.length / 2);
          await Promise.all(
            [indexes.slice(0, half), indexes.slice(half)].map((part) =>
              sendBatch(part, () => bulkBody(part.map((index) => bodyOf.get(index)!))),
            ),
          );
          return;
        }
        const failure = asWriteFailure(error);
        for (const index of indexes) results[index] = failure;
        this.progress(indexes.map((index) => results[index]!));
      }
    };
    const bodyOf = new Map(sendable.map((index, i) => [index, bodies[i]!]));

    const { batches, oversized } = packBatches(bodies);
    for (const i of oversized) {
      results[sendable[i]!] = {
        ok: false,
        status: 413,
        error: 'payload_too_large',
        message: "the entity alone is larger than Port's 1 MiB request limit",
      };
    }
    await Promise.all(
      batches.map((batch) =>
        sendBatch(
          batch.indexes.map((i) => sendable[i]!),
          () => batch.body,
        ),
      ),
    );
    return results;
  }

  /**
   * Deletes entities of one blueprint, one request each within the concurrency limit, so that each
   * gets its own outcome (Port's bulk delete fails as a whole when one entity has dependents). An
   * entity that is already gone counts as deleted, as Ocean treats a 404 here.
   */
  async deleteEntities(blueprint: string, identifiers: string[]): Promise<EntityWriteResult[]> {
    return Promise.all(
      identifiers.map(async (identifier): Promise<EntityWriteResult> => {
        const result = await this.deleteEntity(blueprint, identifier).then(
          (): EntityWriteResult => ({ ok: true, created: false }),
          (error: unknown): EntityWriteResult => {
            if (error instanceof PortAuthError) throw error;
            if (error instanceof PortApiError && error.status === 404) return { ok: true, created: false };
            return asWriteFailure(error);
          },
        );
        this.progress([result]);
        return result;
      }),
    );
  }

  async deleteEntity(blueprint: string, identifier: string, deleteDependents = false): Promise<void> {
    await this.request('DELETE', `/v1/blueprints/${enc(blueprint)}/entities/${enc(identifier)}`, {
      query: { delete_dependents: String(deleteDependents) },
    });
  }

  private progress(results: EntityWriteResult[]): void {
    this.onProgress?.({ entities: results.length, failed: results.filter((r) => !r.ok).length });
  }

  /** A token to send now: the cached one while it is fresh, else the one shared refresh (`refreshToken`). */
  private async accessToken(): Promise<CachedToken> {
    const credentials = this.credentials;
    if ('accessToken' in credentials) return { value: credentials.accessToken, refreshAtMs: Number.POSITIVE_INFINITY };
    const current = await (this.token ?? this.refreshToken(undefined));
    return current.refreshAtMs > Date.now() ? current : this.refreshToken(current);
  }

  /**
   * A token other than `stale`: the refresh in flight, one that settled since `stale` was handed out, or
   * a new one. At most one token request is in flight at a time and every caller that needs a token
   * shares its answer, so requests that meet an expired token together ask Port's rate-limited token
   * route once. A refresh that fails is retried inside `send` as any request is; one that fails for good
   * fails its callers, and the next caller starts a new one.
   */
  private refreshToken(stale: CachedToken | undefined): Promise<CachedToken> {
    if (this.token && (this.tokenReceived === undefined || this.tokenReceived !== stale)) return this.token;
    const credentials = this.credentials as { clientId: string; clientSecret: string };
    const fresh = this.fetchToken(credentials).then(
      (token) => {
        if (this.token === fresh) this.tokenReceived = token;
        return token;
      },
      (error: unknown) => {
        if (this.token === fresh) this.token = undefined;
        throw error;
      },
    );
    this.token = fresh;
    this.tokenReceived = undefined;
    return fresh;
  }

  private async fetchToken(credentials: { clientId: string; clientSecret: string }): Promise<CachedToken> {
    const requestedAt = Date.now();
    const body = await this.send<{ accessToken: string; expiresIn: number }>('POST', '/v1/auth/access_token', {
      body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
      authenticated: false,
    });
    // Refresh ahead of expiry: a tenth of the lifetime, at most a minute (Port returns the same token,
    // with less time left, while it is valid, so `expiresIn` is authoritative).
    const lifetimeMs = body.expiresIn * 1000;
    return { value: body.accessToken, refreshAtMs: requestedAt + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
  }

  /** A request within the concurrency limit. */
  private request<T>(method: string, path: string, init: RequestInit_ = {}): Promise<T> {
    return this.limit.run(() => this.send<T>(method, path, init));
  }

  /** Sends with retries: throttling, 408/502/503/504, transport failures, and a 401 with a newer token. */
  private async send<T>(method: string, path: string, init: RequestInit_): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
    const payload =
      typeof init.rawBody === 'function'
        ? init.rawBody()
        : (init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)));
    const authenticated = init.authenticated ?? true;
    let throttledWaits = 0;

    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw interrupted(method, path);
      // The wait for a rate-limit window comes first, the token after it: a wait may outlast a token.
      await this.limit.gate();
      if (this.stopped) throw interrupted(method, path);
      const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json' };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const token = authenticated ? await this.accessToken() : undefined;
      if (token) headers.authorization = `Bearer ${token.value}`;

      let response: Answer;
      // Aborted by the request's timeout or by stop()'s end of grace; both let go once the answer is in
      // (AbortSignal.any would stay referenced by the client's signal for every request of a long run).
      // The timeout covers the whole answer, its body included: a connection that stalls or drops
      // half-way through an answer is retried like one that never answered.
      const abort = new AbortController();
      const timeout = setTimeout(
        () => abort.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError')),
        this.timeoutMs,
      );
      const stopAll = () => abort.abort(this.inFlight.signal.reason);
      this.inFlight.signal.addEventListener('abort', stopAll, { once: true });
      try {
        this.counters.requests++;
        // Never followed: a redirect would carry the credentials, or the data, to wherever it points.
        response = await this.transport.exchange(url, { method, headers, body: payload, signal: abort.signal });
        if (response.status >= 300 && response.status < 400) {
          throw new PortApiError(response.status, 'redirect', describeRedirect(method, url, response));
        }
      } catch (error) {
        if (error instanceof PortApiError) throw error;
        if (this.stopped) throw interrupted(method, path);
        if (isTransientNetworkError(error) && attempt < this.maxRetries) {
          this.counters.retries++;
          await sleep(backoffDelay(attempt));
          continue;
        }
        throw new PortApiError(0, 'network_error', `${method} ${path}: ${describeNetworkError(error)}`);
      } finally {
        clearTimeout(timeout);
        this.inFlight.signal.removeEventListener('abort', stopAll);
      }
      const traceId = response.headers.get('x-trace-id') ?? undefined;
      this.watchRateLimit(response);
      if (response.status >= 200 && response.status < 300) {
        this.limit.succeeded();
        return parseAnswer<T>(response.text, method, path, response.status);
      }

      const envelope = parseEnvelope(response.text);
      if (response.status === 401) {
        if (!token) throw new PortAuthError(401, `Port refused the credentials: ${envelope.message}`, traceId);
        if (!('accessToken' in this.credentials) && attempt < this.maxRetries) {
          // The token expired on the way or was replaced: try again with a newer one (shared, see refreshToken).
          this.counters.retries++;
          await this.refreshToken(token);
          continue;
        }
        throw new PortAuthError(401, `Port refused the access token: ${envelope.message}`, traceId);
      }
      if (response.status === 429 && throttledWaits < MAX_THROTTLED_WAITS) {
        // Being throttled is not failing: everyone waits until the window Port names resets (Retry-After
        // if Port ever sends one), then this request tries again, without using up its retries.
        throttledWaits++;
        this.counters.throttled++;
        this.limit.slowDown(
          Math.max(MIN_THROTTLED_WAIT_MS, serverWaitMs(response.headers) ?? backoffDelay(Math.min(throttledWaits, 6))),
        );
        attempt--;
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status) && attempt < this.maxRetries) {
        // A failure is not throttling: back off briefly. The window's reset is no hint here (Port sends
        // it on every answer, and it may be minutes away); an exhausted window has paused everyone above.
        this.counters.retries++;
        await sleep(backoffDelay(attempt));
        continue;
      }
      throw new PortApiError(
        response.status,
        envelope.error,
        `${method} ${path} answered ${response.status}: ${envelope.message}`,
        traceId,
      );
    }
  }

  /**
   * Port's `x-ratelimit-remaining` (docs/port-fidelity.md), read on every answer: when fewer requests are
   * left in the window than could be in flight, no more than that go at once; at zero, everyone waits
   * for the reset; and once a new window shows room to spare, full speed again.
   */
  private watchRateLimit(response: Answer): void {
    const remaining = Number(response.headers.get('x-ratelimit-remaining') ?? Number.NaN);
    if (!Number.isFinite(remaining)) return;
    if (remaining === 0) {
      this.counters.slowedAhead++;
      this.limit.pause(serverWaitMs(response.headers, Date.now(), { ignoreRetryAfter: true }) ?? 0);
    } else if (remaining < this.limit.concurrency) {
      this.counters.slowedAhead++;
      this.limit.lowerTo(remaining);
    } else if (remaining >= 2 * this.limit.maximum) {
      this.limit.restore();
    }
  }
}

interface RequestInit_ {
  query?: Record<string, string>;
  body?: unknown;
  /** A body already serialized (bulk bodies are measured before sending), or how to join it once the request starts. */
  rawBody?: string | (() => string);
  authenticated?: boolean;
}

interface BulkAnswer {
  ok?: boolean;
  entities?: Array<{ created: boolean; identifier: string; index?: number }>;
  errors?: Array<{ identifier: string; index?: number; statusCode: number; error: string; message: string }>;
}

function upsertQuery(options: UpsertOptions): Record<string, string> {
  return {
    upsert: 'true',
    merge: String(options.merge ?? true),
    create_missing_related_entities: String(options.createMissingRelatedEntities ?? true),
    ...(options.validationOnly ? { validation_only: 'true' } : {}),
  };
}

/** Identifiers may hold `/`, `:`, `+` and `=`: always encode path segments (docs/port-fidelity.md). */
function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function parseEnvelope(text: string): { error: string; message: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    return { error: String(body.error ?? 'unknown_error'), message: String(body.message ?? body.error ?? text) };
  } catch {
    return { error: 'unknown_error', message: text.slice(0, 200) || '(empty body)' };
  }
}

/**
 * Each entity's outcome from a 200 or 207 answer, by the index Port gives it (by its identifier where an
 * item has no index). An answer that says `ok` and lists nothing (Port does not document the body of a
 * `validation_only` answer) is a success for all; an entity the answer does not mention otherwise fails,
 * as `missing_result`, never as a success.
 */
function mapBulkAnswer(
  answer: BulkAnswer,
  indexes: number[],
  identifiers: string[],
  results: EntityWriteResult[],
): void {
  const listed = Array.isArray(answer?.entities) ? answer.entities : [];
  const failed = Array.isArray(answer?.errors) ? answer.errors : [];
  const positionOf = (item: { index?: number; identifier?: string }) =>
    typeof item?.index === 'number' ? indexes[item.index] : indexes[identifiers.indexOf(String(item?.identifier))];
  for (const item of listed) {
    const index = positionOf(item);
    if (index !== undefined) results[index] = { ok: true, created: item.created === true };
  }
  for (const item of failed) {
    const index = positionOf(item);
    if (index !== undefined)
      results[index] = {
        ok: false,
        status: typeof item.statusCode === 'number' ? item.statusCode : 0,
        error: String(item.error ?? 'unknown_error'),
        message: String(item.message ?? item.error ?? 'Port gave no message'),
      };
  }
  const allOk = answer?.ok === true && listed.length === 0 && failed.length === 0;
  for (const index of indexes) {
    results[index] ??= allOk
      ? { ok: true, created: false }
      : { ok: false, status: 0, error: 'missing_result', message: 'Port answered without a result for this entity' };
  }
}

/**
 * An answer that refuses a whole bulk request for what one entity holds: the route's schema (400, 422)
 * or the body's size (413). A 404 (no such blueprint) would be the same for any part, so it is not split.
 */
function refusedAsWhole(error: unknown): boolean {
  return error instanceof PortApiError && (error.status === 400 || error.status === 413 || error.status === 422);
}

/** Both addresses of a redirect, without user, password or query. */
function describeRedirect(method: string, url: URL, response: Answer): string {
  const from = `${url.origin}${url.pathname}`;
  let to = response.headers.get('location') ?? '(no Location header)';
  try {
    const target = new URL(to, url);
    to = `${target.origin}${target.pathname}`;
  } catch {
    to = '(an invalid Location header)';
  }
  return `${method} ${from} answered ${response.status}, a redirect to ${to}: port-gitops never follows redirects (they would carry the credentials or the data elsewhere); set the base URL to Port's own address`;
}

function asWriteFailure(error: unknown): EntityWriteResult {
  if (error instanceof PortApiError)
    return { ok: false, status: error.status, error: error.code, message: error.message };
  return {
    ok: false,
    status: 0,
    error: 'client_error',
    message: error instanceof Error ? error.message : String(error),
  };
}

function interrupted(method: string, path: string): PortApiError {
  return new PortApiError(0, 'interrupted', `${method} ${path}: not sent, the run was interrupted`);
}

/** A successful answer's JSON body; a body that is not JSON (a proxy's page) fails the request, saying so. */
function parseAnswer<T>(text: string, method: string, path: string, status: number): T {
  if (!text) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    const start = text.slice(0, 60).replace(/\s+/g, ' ');
    throw new PortApiError(
      status,
      'invalid_answer',
      `${method} ${path} answered ${status} with a body that is not JSON (${JSON.stringify(start)}…)`,
    );
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? cause?.message ?? error.message;
}
