import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '@port-gitops/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { PortClient } from './client.js';
import { InsecureBaseUrlError, InvalidBaseUrlError } from './errors.js';

const blueprints = [{ identifier: 'team', schema: { properties: { size: { type: 'number' as const } } } }];
const running: RunningEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function emulator(options: Parameters<typeof startEmulator>[0] = {}) {
  const started = await startEmulator({ port: 0, blueprints, ...options });
  running.push(started);
  return started;
}

/** A plain HTTP server on loopback answering as `handler` says, closed after the test; its URL. */
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof PortClient>[0]> = {}) =>
  new PortClient({
    baseUrl: url,
    credentials: { clientId: 'id', clientSecret: 'secret' },
    userAgent: 'port-gitops/test (repo/x)',
    ...extra,
  });

const teams = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ identifier: `team-${i}`, properties: { size: i } }));

describe('PortClient', () => {
  it('upserts through the bulk route in batches of 20 and maps each result back to its entity', async () => {
    const port = await emulator({ record: true });
    const entities = teams(45);
    entities[21]!.properties.size = 'big' as unknown as number;
    const results = await client(port.url).upsertEntities('team', entities);
    expect(results.filter((r) => r.ok)).toHaveLength(44);
    expect(results[21]).toMatchObject({ ok: false, status: 422 });
    expect(
      port.exchanges
        .filter((e) => e.route.endsWith('/bulk'))
        .map((e) => (e.requestBody as { entities: unknown[] }).entities.length),
    ).toEqual([20, 20, 5]);
    expect(port.store.entities()).toHaveLength(44);
  });

  it('fetches a token once for concurrent requests, and fetches a new one once after a 401', async () => {
    const first = await emulator({ record: true });
    const c = client(first.url);
    await c.upsertEntities('team', teams(100));
    expect(first.exchanges.filter((e) => e.route === '/v1/auth/access_token')).toHaveLength(1);
    // A new emulator on the same port knows no token: the client's cached one is refused.
    const port = Number(new URL(first.url).port);
    await first.close();
    running.pop();
    const second = await emulator({ port, record: true });
    expect(await c.getEntity('team', 'team-1')).toBeUndefined();
    expect(second.exchanges.map((e) => `${e.route} ${e.status}`)).toEqual([
      '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier} 401',
      '/v1/auth/access_token 200',
      '/v1/blueprints/{blueprint_identifier}/entities/{entity_identifier} 404',
    ]);
  });

  it('refreshes the token before it expires', async () => {
    const port = await emulator({ tokenTtlSeconds: 1, record: true });
    const c = client(port.url);
    await c.listBlueprints();
    await new Promise((r) => setTimeout(r, 1100));
    await c.listBlueprints();
    expect(port.exchanges.map((e) => e.status)).not.toContain(401);
    expect(port.exchanges.filter((e) => e.route === '/v1/auth/access_token')).toHaveLength(2);
  });

  it('retries 5xx answers, throttling and dropped connections until every entity lands', async () => {
    const port = await emulator({
      errorRate: 0.2,
      resetRate: 0.1,
      rateLimit: { requests: 15, windowSeconds: 1 },
      seed: 7,
    });
    const c = client(port.url, { maxRetries: 10 });
    const results = await c.upsertEntities('team', teams(400));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(port.store.entities()).toHaveLength(400);
    expect(c.counters.retries).toBeGreaterThan(0);
    // It kept within the limit: slowed down ahead of it, or waited when throttled.
    expect(c.counters.throttled + c.counters.slowedAhead).toBeGreaterThan(0);
  });

  it('halves its concurrency when throttled or warned, waits for the window, and recovers', async () => {
    const port = await emulator({ rateLimit: { requests: 12, windowSeconds: 1 }, record: true });
    const c = client(port.url, { concurrency: 8 });
    const results = await c.upsertEntities('team', teams(500)); // 25 bulk requests, 2+ windows
    expect(results.every((r) => r.ok)).toBe(true);
    expect(port.store.entities()).toHaveLength(500);
    expect(c.limit.lowest).toBeLessThan(8);
    // Slowing down ahead of the limit keeps throttled answers to a few per window.
    const throttled = port.exchanges.filter((e) => e.status === 429).length;
    expect(throttled).toBeLessThan(port.exchanges.filter((e) => e.status === 200).length);
    expect(c.counters.slowedAhead).toBeGreaterThan(0);
  });

  it('takes its token after waiting out a rate-limit window, so a token that expired meanwhile fails nothing', async () => {
    const port = await emulator({ tokenTtlSeconds: 1, rateLimit: { requests: 4, windowSeconds: 1.5 }, record: true });
    const results = await client(port.url, { concurrency: 4 }).upsertEntities('team', teams(200)); // 10 batches, 3 windows
    expect(results.every((r) => r.ok)).toBe(true);
    // A token near its end is handed back as it is (as Port does); the one refresh on a 401 covers that.
    expect(port.exchanges.filter((e) => e.status === 401).length).toBeLessThan(5);
  });

  it('shares one token refresh among every request that needs it, under a rate limit on the token route too', async () => {
    // 1-second tokens, answers that take 0.3 s, and a token route that takes 3 requests in 2 seconds.
    const port = await emulator({
      tokenTtlSeconds: 1,
      latencyMs: 300,
      tokenRateLimit: { requests: 3, windowSeconds: 2 },
      record: true,
    });
    const c = client(port.url, { concurrency: 8 });
    const results = await c.upsertEntities('team', teams(400)); // 20 batches over several tokens
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(port.store.entities()).toHaveLength(400);
    const tokenRequests = port.exchanges.filter((e) => e.route === '/v1/auth/access_token');
    // One refresh in flight at a time: no two token requests overlap.
    const overlapping = tokenRequests.filter((e, i) =>
      tokenRequests.some((o, j) => j !== i && o.receivedAtMs < e.answeredAtMs && e.receivedAtMs < o.answeredAtMs),
    );
    expect(overlapping).toEqual([]);
    // Each token, once received, serves every request waiting for it: never more token answers than writes.
    const granted = tokenRequests.filter((e) => e.status === 200).length;
    const writes = port.exchanges.filter((e) => e.route.endsWith('/bulk') && e.status === 200).length;
    expect(granted).toBeLessThanOrEqual(writes + 1);
  });

  it('prints no warning at a concurrency above the ten listeners Node allows before warning', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.name);
    process.on('warning', listen);
    try {
      const port = await emulator({ latencyMs: 20 });
      const results = await client(port.url, { concurrency: 16 }).upsertEntities('team', teams(640));
      expect(results.every((r) => r.ok)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).toEqual([]);
  });

  it('splits a batch Port refuses as a whole until each part fits, and writes every entity', async () => {
    const port = await emulator({ maxBodyBytes: 2_000, record: true });
    const entities = teams(20).map((t) => ({ ...t, title: 'x'.repeat(200) }));
    const results = await client(port.url).upsertEntities('team', entities);
    expect(results.every((r) => r.ok)).toBe(true);
    const bulk = port.exchanges.filter((e) => e.route.endsWith('/bulk'));
    expect(bulk[0]!.status).toBe(413);
    // Every accepted body was within the limit, and together they hold each entity once.
    const accepted = bulk.filter((e) => e.status === 200);
    expect(
      accepted
        .flatMap((e) =>
          (e.requestBody as { entities: Array<{ identifier: string }> }).entities.map((x) => x.identifier),
        )
        .sort(),
    ).toEqual(entities.map((e) => e.identifier).sort());
    expect(port.store.entities()).toHaveLength(20);
  });

  it('sends every entity it can serialize, and fails alone the one it cannot', async () => {
    const port = await emulator({ record: true });
    const circular: Record<string, unknown> = { identifier: 'loop' };
    circular.properties = { self: circular };
    const results = await client(port.url).upsertEntities('team', [teams(1)[0]!, circular as never, teams(3)[2]!]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({
      status: 0,
      error: 'client_error',
      message: expect.stringContaining('cannot be sent'),
    });
    expect(port.store.entities()).toHaveLength(2);
  });

  it('times a request out, retries it, and reports the failure when every try times out', async () => {
    const port = await emulator({ latencyMs: 400, record: true });
    const c = client(port.url, { timeoutMs: 200, maxRetries: 1 });
    await expect(c.listBlueprints()).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
      message: expect.stringContaining('timed out'),
    });
    expect(c.counters.retries).toBe(1);
  });

  it('never retries a validation error', async () => {
    const port = await emulator({ record: true });
    const c = client(port.url);
    await expect(c.upsertEntity('team', { identifier: 'x', properties: { size: 'no' } })).rejects.toMatchObject({
      status: 422,
    });
    expect(port.exchanges.filter((e) => e.route.endsWith('/entities'))).toHaveLength(1);
  });

  it('refuses plain http to anything but a literal loopback address, and credentials in the URL', () => {
    for (const url of [
      'http://api.example.com',
      'http://127.0.0.1.nip.io',
      'http://127.evil.example',
      'http://[::2]',
    ]) {
      expect(() => client(url), url).toThrow(InsecureBaseUrlError);
    }
    for (const url of [
      'http://127.0.0.1:5555',
      'http://127.1.2.3',
      'http://localhost:9',
      'http://[::1]:5555',
      'https://api.port.io',
    ]) {
      expect(() => client(url), url).not.toThrow();
    }
    expect(() => client('https://user:hunter2@api.port.io')).toThrow(
      /user name or password \(https:\/\/\*\*\*@api\.port\.io\)/,
    );
    expect(() => client('https://user:hunter2@api.port.io')).not.toThrow(/hunter2/);
    expect(() => client('ftp://api.port.io')).toThrow(InvalidBaseUrlError);
    expect(() => client('not a url')).toThrow(InvalidBaseUrlError);
  });

  it('never follows a redirect: it names both addresses, and nothing is sent to the other one', async () => {
    const elsewhere = await emulator({ record: true });
    const redirecting = await serve((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/v1/auth/access_token?token=abc` });
      res.end();
    });
    const error = await client(redirecting)
      .authenticate()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 307, code: 'redirect' });
    expect((error as Error).message).toContain(`${redirecting}/v1/auth/access_token`);
    expect((error as Error).message).toContain(`${elsewhere.url}/v1/auth/access_token`);
    expect((error as Error).message).not.toContain('token=abc');
    expect(elsewhere.exchanges).toEqual([]);
  });

  // Port sends x-ratelimit-* on every answer with 5-minute windows: a 503 must be retried after a short
  // backoff, not after the window's reset (up to minutes away). With the reset as the wait, this run
  // would sleep minutes per retry and time out.
  it("retries a 5xx after a short backoff under Port's 5-minute windows, not after the window resets", async () => {
    const port = await emulator({ errorRate: 0.3, seed: 3, record: true });
    const c = client(port.url, { maxRetries: 10 });
    const results = await c.upsertEntities('team', teams(200));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(port.exchanges.some((e) => e.status === 503)).toBe(true);
    expect(c.counters.retries).toBeGreaterThan(0);
    expect(c.counters.slowedAhead).toBe(0);
  }, 20_000);

  it("retries a 408 and a 502, as Port's own clients do, and reports a 500 at once", async () => {
    const answers = [408, 502, 200, 500];
    const seen: number[] = [];
    const url = await serve((_req, res) => {
      const status = answers.shift() ?? 500;
      seen.push(status);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '{"ok":true,"blueprints":[]}' : '{"ok":false,"error":"x","message":"x"}');
    });
    const c = client(url, { credentials: { accessToken: 't' } });
    expect(await c.listBlueprints()).toEqual([]);
    expect(seen).toEqual([408, 502, 200]);
    await expect(c.listBlueprints()).rejects.toMatchObject({ status: 500 });
    expect(seen).toEqual([408, 502, 200, 500]);
  });

  it('retries an answer that breaks off or stalls half-way, and names a body that is not JSON', async () => {
    // First a connection dropped after the headers, then one that stalls past the timeout, then the answer.
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      if (requests === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"ok":true,"blu');
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (requests === 2) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"ok":true,"blu'); // and nothing more
      } else if (requests === 3) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true,"blueprints":[]}');
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>a proxy says hello</html>');
      }
    });
    const c = client(url, { credentials: { accessToken: 't' }, timeoutMs: 300 });
    expect(await c.listBlueprints()).toEqual([]);
    expect(requests).toBe(3);
    expect(c.counters.retries).toBe(2);
    const error = await c.listBlueprints().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 200, code: 'invalid_answer' });
    expect((error as Error).message).toBe(
      'GET /v1/blueprints answered 200 with a body that is not JSON ("<html>a proxy says hello</html>"…)',
    );
  });

  it('reads an answer a proxy compressed unasked, names an encoding it cannot read, and sends each body whole', async () => {
    const seen: Array<{ length: string | undefined; bytes: number; encoding: string | undefined }> = [];
    const answers = [
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync('{"ok":true,"entities":[{"identifier":"team-0","index":0,"created":true}],"errors":[]}'));
      },
      (res: ServerResponse) => {
        res.writeHead(422, { 'content-type': 'application/json', 'content-encoding': 'br' });
        res.end(brotliCompressSync('{"ok":false,"error":"bad_request","message":"squeezed"}'));
      },
      // Two encodings, one over the other (gzip applied first), and one nothing here can read.
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, br' });
        res.end(brotliCompressSync(gzipSync('{"ok":true,"blueprints":[{"identifier":"twice"}]}')));
      },
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
        res.end('(\u00b5/\u00fd not JSON)');
      },
    ];
    const url = await serve((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        seen.push({ length: req.headers['content-length'], bytes, encoding: req.headers['accept-encoding'] });
        answers[seen.length - 1]!(res);
      });
    });
    const c = client(url, { credentials: { accessToken: 't' } });
    // Two bytes of UTF-8 for "é": the length counts bytes, not characters.
    expect(await c.upsertEntities('team', [{ identifier: 'team-0', title: 'équipe' }])).toEqual([
      { ok: true, created: true },
    ]);
    const refused = await c.getBlueprint('team').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 422, code: 'bad_request', message: expect.stringContaining('squeezed') });
    expect(await c.listBlueprints()).toEqual([{ identifier: 'twice' }]);
    expect(await c.listBlueprints().catch((e: unknown) => e)).toMatchObject({
      code: 'network_error',
      message: 'GET /v1/blueprints: the answer is encoded as "zstd", which port-gitops cannot read',
    });
    expect(seen[0]!.bytes).toBeGreaterThan(0);
    expect(seen[0]!.length).toBe(String(seen[0]!.bytes));
    // Nothing asks for compression: an answer comes compressed only if a proxy insists.
    expect(seen.map((s) => s.encoding)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('refuses an answer that expands past 64 MiB (a compressed bomb) instead of reading it whole', async () => {
    let requests = 0;
    const bomb = gzipSync(Buffer.alloc(80 * 2 ** 20, ' '));
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const error = await client(url, { credentials: { accessToken: 't' } })
      .listBlueprints()
      .catch((e: unknown) => e);
    expect(bomb.length).toBeLessThan(2 ** 20);
    expect(error).toMatchObject({
      code: 'network_error',
      message: 'GET /v1/blueprints: the answer holds more than 64 MiB, far more than Port sends',
    });
    expect(requests).toBe(1);
  });

  it('fails at once where TLS fails (no retry can cure it), and retries a refused connection', async () => {
    // An https:// address served by a plain HTTP server: the handshake fails (EPROTO) on every try alike.
    let connections = 0;
    const url = await serve((_req, res) => res.end());
    servers.at(-1)!.on('connection', () => connections++);
    const tls = client(url.replace('http://', 'https://'), { credentials: { accessToken: 't' }, maxRetries: 3 });
    const refused = await tls.listBlueprints().catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'network_error' });
    expect(connections).toBe(1);
    expect(tls.counters.retries).toBe(0);
    // Nothing listens here: each try is refused, and each is retried until the retries run out.
    const closed = await serve(() => undefined);
    const port = new URL(closed).port;
    await new Promise<void>((done) => servers.pop()!.close(() => done()));
    const gone = client(`http://127.0.0.1:${port}`, { credentials: { accessToken: 't' }, maxRetries: 2 });
    expect(await gone.listBlueprints().catch((e: unknown) => e)).toMatchObject({
      code: 'network_error',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(gone.counters.retries).toBe(2);
  });

  it("reads a rate-limit reset against the server's clock, and never answers a 429 with a burst", async () => {
    // Port's clock runs two minutes behind this runner's: read against the local clock, every reset
    // would be long past, and the client would ask again at once, fifty times, and fail.
    const skewMs = 120_000;
    let firstAt: number | undefined;
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      const now = Date.now();
      firstAt ??= now;
      const serverNow = now - skewMs;
      res.setHeader('date', new Date(serverNow).toUTCString());
      res.setHeader('x-ratelimit-reset', String(Math.ceil((serverNow + 1000) / 1000)));
      if (now - firstAt < 900) {
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end('{"ok":false,"error":"too_many_requests","message":"slow down"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true,"blueprints":[]}');
      }
    });
    const c = client(url, { credentials: { accessToken: 't' } });
    expect(await c.listBlueprints()).toEqual([]);
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('maps bulk answers of other shapes: no lists, items without an index, an entity left unmentioned', async () => {
    const answers = [
      '{"ok":true}',
      '{"ok":false,"entities":[{"identifier":"team-1","created":true}],"errors":[{"identifier":"team-0","statusCode":422,"error":"blueprint_schema_mismatch","message":"no"}]}',
      '{"ok":false,"entities":[{"identifier":"team-0","created":false,"index":0}],"errors":[]}',
    ];
    const url = await serve((_req, res) => {
      res.writeHead(answers.length === 3 ? 200 : 207, { 'content-type': 'application/json' });
      res.end(answers.shift() ?? '{}');
    });
    const c = client(url, { credentials: { accessToken: 't' }, concurrency: 1 });
    expect(await c.upsertEntities('team', teams(2), { validationOnly: true })).toEqual([
      { ok: true, created: false },
      { ok: true, created: false },
    ]);
    expect(await c.upsertEntities('team', teams(2))).toEqual([
      { ok: false, status: 422, error: 'blueprint_schema_mismatch', message: 'no' },
      { ok: true, created: true },
    ]);
    expect(await c.upsertEntities('team', teams(2))).toEqual([
      { ok: true, created: false },
      expect.objectContaining({ ok: false, error: 'missing_result' }),
    ]);
  });
});
