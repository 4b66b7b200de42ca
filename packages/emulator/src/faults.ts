/** A small seeded PRNG (mulberry32), so that a fault pattern can be replayed with the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fixed-window request counter with Port's `x-ratelimit-*` headers, sent on every answer. Port documents
 * no `Retry-After`, so none is sent (docs/port-fidelity.md).
 */
export class RateLimitWindow {
  private windowStart = 0;
  private used = 0;
  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  /** Counts one request; returns the headers to send and whether it is over the limit. */
  take(nowMs: number): { allowed: boolean; headers: Record<string, string> } {
    const windowMs = this.windowSeconds * 1000;
    if (nowMs - this.windowStart >= windowMs) {
      this.windowStart = nowMs;
      this.used = 0;
    }
    this.used++;
    const resetAtMs = this.windowStart + windowMs;
    return {
      allowed: this.used <= this.limit,
      headers: {
        'x-ratelimit-period': String(this.windowSeconds),
        'x-ratelimit-limit': String(this.limit),
        'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
        // Port's docs: the UTC epoch second at which the window resets.
        'x-ratelimit-reset': String(Math.ceil(resetAtMs / 1000)),
      },
    };
  }
}

/**
 * Port's last published limits (docs/port-fidelity.md): per organization, in 5-minute windows, 100
 * unauthenticated requests, 35,000 to the entity routes and 15,000 to the others. Port no longer
 * publishes numbers; these are the last it did.
 */
const PORT_RATE_LIMITS = {
  windowSeconds: 300,
  unauthenticated: 100,
  entities: 35_000,
  other: 15_000,
} as const;

type Limit = { requests: number; windowSeconds: number };

/**
 * The window a request counts against: its route's class, or every authenticated route when one limit is
 * injected; the token route's own window may be injected apart (`tokenLimit`).
 */
export function rateLimitWindows(limit: Limit | false | undefined, tokenLimit?: Limit) {
  if (limit === false) return undefined;
  const { windowSeconds } = PORT_RATE_LIMITS;
  const unauthenticated = tokenLimit
    ? new RateLimitWindow(tokenLimit.requests, tokenLimit.windowSeconds)
    : new RateLimitWindow(PORT_RATE_LIMITS.unauthenticated, windowSeconds);
  const injected = limit ? new RateLimitWindow(limit.requests, limit.windowSeconds) : undefined;
  const entities = injected ?? new RateLimitWindow(PORT_RATE_LIMITS.entities, windowSeconds);
  const other = injected ?? new RateLimitWindow(PORT_RATE_LIMITS.other, windowSeconds);
  return (route: { auth: boolean; pattern: string } | undefined): RateLimitWindow => {
    if (route && !route.auth) return unauthenticated;
    return route && /\/entities(\/|-count|$)|\/bulk\/entities\//.test(route.pattern) ? entities : other;
  };
}
