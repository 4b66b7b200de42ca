/**
 * Statuses worth another try besides 429: a request timeout and gateway trouble, as Port's own clients
 * retry them (docs/port-fidelity.md). Never a validation error.
 */
export const RETRYABLE_STATUSES = new Set([408, 502, 503, 504]);

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 32_000;
/** The longest wait a server hint can impose: one of Port's 5-minute rate-limit windows (Ocean's cap too). */
const MAX_SERVER_WAIT_MS = 300_000;
/**
 * The shortest wait after a 429: a hint that reads as "now" (a reset already past, a clock off by a
 * second) must not turn throttling into a burst of requests that each use up one of the waits.
 */
export const MIN_THROTTLED_WAIT_MS = 1_000;

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)]. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

/**
 * How long the server asks us to wait, from `Retry-After` (seconds or an HTTP date) or
 * `x-ratelimit-reset`, which Port documents as an epoch second but some clients read as a delta:
 * a value above 10,000 is taken as an epoch, as Ocean does (docs/port-fidelity.md). An epoch or a date is
 * read against the answer's own `Date` when it has one: the server's clock set it, and a runner whose
 * clock runs a minute ahead would otherwise read every reset as past and ask again at once.
 */
export function serverWaitMs(
  headers: { get(name: string): string | null },
  localNowMs: number = Date.now(),
  options: { ignoreRetryAfter?: boolean } = {},
): number | undefined {
  const serverDate = Date.parse(headers.get('date') ?? '');
  const nowMs = Number.isFinite(serverDate) ? serverDate : localNowMs;
  const retryAfter = options.ignoreRetryAfter ? null : headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = retryAfter.trim() === '' ? Number.NaN : Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - nowMs;
    if (Number.isFinite(ms)) return clamp(ms);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && Number.isFinite(Number(reset))) {
    const value = Number(reset);
    return clamp(value > 10_000 ? value * 1000 - nowMs : value * 1000);
  }
  return undefined;
}

function clamp(ms: number): number {
  return Math.min(MAX_SERVER_WAIT_MS, Math.max(0, ms));
}

/**
 * Transport failures that a retry can cure: connection resets, refused sockets mid-run, timeouts, a
 * name server that did not answer in time (EAI_AGAIN) or one that does not know the name yet (ENOTFOUND:
 * a CI runner's resolver warming up says so too, and a real typo fails after the same few retries).
 */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** A failure of the transport (not an answer) that is worth another try. */
export function isTransientNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  return TRANSIENT_CODES.has(code ?? '');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
