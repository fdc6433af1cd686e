import { abortAfter } from "./abort-timer.ts";
import type { CallBudget } from "./apideck-client.ts";

/** API Gateway HTTP APIs give up at 30 s; we answer, even if with a 504, before that. */
export const MAX_REQUEST_BUDGET_MS = 29_000;

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
