/** The budget of one call: `signal` aborts at the request's deadline, `deadlineAt` is when. */
export interface CallBudget {
  readonly signal: AbortSignal;
  readonly deadlineAt: number;
}

/** An abort signal with a time limit, and the means to release it. */
export interface AbortTimer {
  readonly signal: AbortSignal;
  /** Clears the timer and the listener on the parent. Call it once the guarded work is over. */
  dispose(): void;
}

/**
 * A signal that aborts after `ms` (reason: a `TimeoutError`) or as soon as `parent` aborts.
 * Plain controller, timer and listener, all released by `dispose()`, instead of
 * `AbortSignal.any([AbortSignal.timeout(ms), parent])`: Node keeps every `any()` signal that has
 * listeners (fetch adds one) in an internal set, so per-request `any()` grew the heap by ~660 bytes
 * a request in `npm run bench` (a heap snapshot showed them held there).
 */
export function abortAfter(ms: number, parent?: AbortSignal): AbortTimer {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation timed out.", "TimeoutError")),
    ms,
  );
  const forward = () => controller.abort(parent?.reason);
  if (parent?.aborted) forward();
  else parent?.addEventListener("abort", forward, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", forward);
    },
  };
}

/** API Gateway HTTP APIs give up at 30 s; we answer, even if with a 504, before that. */
export const MAX_REQUEST_BUDGET_MS = 29_000;

/**
 * Middy's own timeout fires this long before the Lambda's: a backstop if anything but the budget
 * below hangs (the budget ends `RESPONSE_RESERVE_MS` before, so it fires first).
 */
export const MIDDY_TIMEOUT_EARLY_MS = 100;

/** Kept back from the Lambda's remaining time to map the error and write the response. */
export const RESPONSE_RESERVE_MS = 300;

/** A request's budget, to be disposed of when the request ends (it holds a timer). */
export interface RequestBudget extends CallBudget {
  dispose(): void;
}

/**
 * The budget for one request's upstream work: the Lambda's remaining time less the reserve, at
 * most `MAX_REQUEST_BUDGET_MS`, aborted early too when Middy's own timeout signal fires.
 */
export function requestBudget(
  remainingMs: number | undefined,
  middySignal: AbortSignal,
  now = Date.now(),
): RequestBudget {
  const available = (remainingMs ?? MAX_REQUEST_BUDGET_MS) - RESPONSE_RESERVE_MS;
  const budgetMs = Math.max(0, Math.min(MAX_REQUEST_BUDGET_MS, available));
  const timer = abortAfter(budgetMs, middySignal);
  return { deadlineAt: now + budgetMs, signal: timer.signal, dispose: timer.dispose };
}
