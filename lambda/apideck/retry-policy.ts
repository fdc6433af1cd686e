/**
 * Retry defaults for the call to Apideck. Three attempts with full-jitter backoff: enough to ride
 * out a dropped connection or a brief 503, few enough that a caller waits seconds, not minutes.
 */
export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  /** Never start an attempt with less time than this left: it could not finish anyway. */
  minAttemptMs: 250,
} as const;

/** What went wrong with one attempt, as far as the retry decision cares. */
export type AttemptFailure =
  | { readonly kind: "network" }
  | { readonly kind: "timeout" }
  | { readonly kind: "status"; readonly status: number; readonly retryAfterSeconds?: number | undefined };

const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Statuses worth another try: throttling and server-side failures. 501 means "never", so not it. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Decides whether to retry after `attempt` attempts (1-based), in this order: the attempt bound,
 * the status (anything not understood is not retried), then the delay: `Retry-After` when given,
 * else full jitter; a delay that would not leave time for one more attempt means no retry.
 * Returns the delay in ms, or undefined for "do not retry".
 */
export function retryDelayMs(
  failure: AttemptFailure,
  attempt: number,
  remainingMs: number,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= RETRY_DEFAULTS.maxAttempts) return undefined;
  if (failure.kind === "status" && !RETRYABLE_STATUSES.has(failure.status)) return undefined;
  const retryAfterMs = failure.kind === "status" ? secondsToMs(failure.retryAfterSeconds) : undefined;
  const backoffCap = Math.min(RETRY_DEFAULTS.maxDelayMs, RETRY_DEFAULTS.baseDelayMs * 2 ** (attempt - 1));
  const delay = retryAfterMs ?? Math.floor(random() * backoffCap);
  return delay + RETRY_DEFAULTS.minAttemptMs <= remainingMs ? delay : undefined;
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into whole seconds from `now`; undefined
 * when absent or unreadable. Capped at an hour so a hostile value cannot be echoed unbounded.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 3600);
  // Only RFC 9110's IMF-fixdate: V8's Date.parse accepts "1.5" or "-1" as dates, which would turn
  // garbage into "retry now".
  if (!IMF_FIXDATE.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), 3600);
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
