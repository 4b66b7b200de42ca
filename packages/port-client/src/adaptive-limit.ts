import pLimit, { type LimitFunction } from 'p-limit';
import { sleep } from './retry.js';

/** Successes at one level before one more request may be in flight. */
const SUCCESSES_PER_STEP = 10;

/**
 * Concurrency that follows the server (additive increase, multiplicative decrease, as TCP does):
 * halved when Port throttles or says few requests are left in its window, and, while a wait is
 * asked for, no request starts; raised by one after every run of successes, up to the configured
 * maximum.
 */
export class AdaptiveLimit {
  private readonly limit: LimitFunction;
  private pausedUntilMs = 0;
  private successes = 0;
  /** The lowest concurrency reached, for reports and tests. */
  lowest: number;

  constructor(readonly maximum: number) {
    this.limit = pLimit(maximum);
    this.lowest = maximum;
  }

  get concurrency(): number {
    return this.limit.concurrency;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.limit(task);
  }

  /** Waits while the server has asked everyone to wait. */
  async gate(): Promise<void> {
    for (let wait = this.pausedUntilMs - Date.now(); wait > 0; wait = this.pausedUntilMs - Date.now())
      await sleep(wait);
  }

  /** Throttled (429), or about to be: fewer at once, and nobody starts before `waitMs` has passed. */
  slowDown(waitMs: number): void {
    this.successes = 0;
    this.limit.concurrency = Math.max(1, Math.floor(this.limit.concurrency / 2));
    this.lowest = Math.min(this.lowest, this.limit.concurrency);
    this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + waitMs);
  }

  /** Port says only `remaining` requests are left in its window: no more than that in flight. */
  lowerTo(remaining: number): void {
    this.limit.concurrency = Math.max(1, Math.min(this.limit.concurrency, remaining));
    this.lowest = Math.min(this.lowest, this.limit.concurrency);
  }

  /** Nobody starts before `waitMs` has passed (the window is used up). */
  pause(waitMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + waitMs);
  }

  /** A fresh window with room to spare: back to the configured concurrency at once. */
  restore(): void {
    this.successes = 0;
    this.limit.concurrency = this.maximum;
  }

  succeeded(): void {
    if (this.limit.concurrency >= this.maximum) return;
    if (++this.successes >= SUCCESSES_PER_STEP) {
      this.successes = 0;
      this.limit.concurrency = this.limit.concurrency + 1;
    }
  }
}
