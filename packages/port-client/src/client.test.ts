import { startEmulator, type RunningEmulator } from '@port-gitops/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { PortClient } from './client.js';
import { InsecureBaseUrlError } from './errors.js';

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
    expect(port.store.all()).toHaveLength(44);
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
    expect(port.store.all()).toHaveLength(400);
    expect(c.counters.retries).toBeGreaterThan(0);
    // It kept within the limit: slowed down ahead of it, or waited when throttled.
    expect(c.counters.throttled + c.counters.slowedAhead).toBeGreaterThan(0);
  });

  it('halves its concurrency when throttled or warned, waits for the window, and recovers', async () => {
    const port = await emulator({ rateLimit: { requests: 12, windowSeconds: 1 }, record: true });
    const c = client(port.url, { concurrency: 8 });
    const results = await c.upsertEntities('team', teams(500)); // 25 bulk requests, 2+ windows
    expect(results.every((r) => r.ok)).toBe(true);
    expect(port.store.all()).toHaveLength(500);
    expect(c.limit.lowest).toBeLessThan(8);
    // Slowing down ahead of the limit keeps throttled answers to a few per window.
    const throttled = port.exchanges.filter((e) => e.status === 429).length;
    expect(throttled).toBeLessThan(port.exchanges.filter((e) => e.status === 200).length);
    expect(c.counters.slowedAhead).toBeGreaterThan(0);
  });

  it('falls back to single upserts for a batch answered 413', async () => {
    const port = await emulator({ maxBodyBytes: 2_000, record: true });
    const entities = teams(20).map((t) => ({ ...t, title: 'x'.repeat(200) }));
    const results = await client(port.url).upsertEntities('team', entities);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(port.exchanges.filter((e) => e.route.endsWith('/bulk')).map((e) => e.status)).toEqual([413]);
    expect(port.exchanges.filter((e) => e.route === '/v1/blueprints/{blueprint_identifier}/entities')).toHaveLength(20);
    expect(port.store.all()).toHaveLength(20);
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

  it('refuses plain http to anything but loopback', () => {
    expect(() => client('http://api.example.com')).toThrow(InsecureBaseUrlError);
    expect(() => client('http://127.0.0.1:5555')).not.toThrow();
    expect(() => client('https://api.port.io')).not.toThrow();
  });
});
