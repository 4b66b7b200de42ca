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

/** A fixed-window request counter with Port's `x-ratelimit-*` headers (docs/port-fidelity.md). */
export class RateLimitWindow {
  private windowStart = 0;
  private used = 0;
  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  /** Counts one request; returns the headers to send and whether it is over the limit. */
  take(nowMs: number): { allowed: boolean; headers: Record<string, string>; retryAfterSeconds: number } {
    const windowMs = this.windowSeconds * 1000;
    if (nowMs - this.windowStart >= windowMs) {
      this.windowStart = nowMs;
      this.used = 0;
    }
    this.used++;
    const resetAtMs = this.windowStart + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAtMs - nowMs) / 1000));
    return {
      allowed: this.used <= this.limit,
      retryAfterSeconds,
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
