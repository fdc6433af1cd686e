import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  abortAfter,
  MAX_REQUEST_BUDGET_MS,
  RESPONSE_RESERVE_MS,
  requestBudget,
} from "../../lambda/deadline.ts";

describe("Unit: abort timer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts with a TimeoutError once the time is up", () => {
    const { signal } = abortAfter(500);

    vi.advanceTimersByTime(499);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe("TimeoutError");
  });

  it("aborts with the parent's reason when the parent aborts first", () => {
    const parent = new AbortController();
    const { signal } = abortAfter(500, parent.signal);

    parent.abort(new Error("deadline"));

    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe("deadline");
  });

  it("starts aborted under a parent that already aborted", () => {
    const parent = new AbortController();
    parent.abort();

    expect(abortAfter(500, parent.signal).signal.aborted).toBe(true);
  });

  it("leaves no timer and no listener on the parent once disposed", () => {
    const parent = new AbortController();
    const timer = abortAfter(500, parent.signal);
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(1);

    timer.dispose();
    vi.advanceTimersByTime(1_000);

    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(timer.signal.aborted).toBe(false);
  });
});

const now = 1_763_816_400_000;

/** Resolves with the signal's abort reason, or rejects if it has not aborted within `withinMs`. */
function aborted(signal: AbortSignal, withinMs: number): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not aborted within ${withinMs} ms`)), withinMs);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(signal.reason);
    });
  });
}

describe("Unit: deadline", () => {
  it("keeps 300 ms back from the Lambda's remaining time", () => {
    expect(RESPONSE_RESERVE_MS).toBe(300);
    expect(requestBudget(10_000, new AbortController().signal, now).deadlineAt).toBe(now + 9_700);
  });

  it("never exceeds API Gateway's 29 s", () => {
    expect(MAX_REQUEST_BUDGET_MS).toBe(29_000);
    expect(requestBudget(900_000, new AbortController().signal, now).deadlineAt).toBe(now + 29_000);
    expect(requestBudget(29_300, new AbortController().signal, now).deadlineAt).toBe(now + 29_000);
  });

  it("is min(remaining - 300, 29000) just below the cap", () => {
    expect(requestBudget(29_299, new AbortController().signal, now).deadlineAt).toBe(now + 28_999);
  });

  it("is zero, never negative, when less than the reserve remains", () => {
    expect(requestBudget(100, new AbortController().signal, now).deadlineAt).toBe(now);
  });

  it("assumes the 29 s maximum, less the reserve, without a Lambda context", () => {
    expect(requestBudget(undefined, new AbortController().signal, now).deadlineAt).toBe(now + 28_700);
  });

  it("measures from the current time by default", () => {
    const before = Date.now();
    const { deadlineAt } = requestBudget(10_300, new AbortController().signal);

    expect(deadlineAt).toBeGreaterThanOrEqual(before + 10_000);
    expect(deadlineAt).toBeLessThanOrEqual(Date.now() + 10_000);
  });

  it("aborts when Middy's signal aborts", async () => {
    const middy = new AbortController();
    const { signal } = requestBudget(10_000, middy.signal, now);

    expect(signal.aborted).toBe(false);
    middy.abort();

    expect(signal.aborted).toBe(true);
    expect(await aborted(signal, 0)).toMatchObject({ name: "AbortError" });
  });

  it("aborts with a TimeoutError once the budget is spent", async () => {
    const { signal } = requestBudget(RESPONSE_RESERVE_MS + 20, new AbortController().signal, now);

    expect(signal.aborted).toBe(false);
    expect(await aborted(signal, 1_000)).toMatchObject({ name: "TimeoutError" });
  });

  it("aborts at once when no budget is left", async () => {
    const { signal } = requestBudget(RESPONSE_RESERVE_MS, new AbortController().signal, now);

    expect(await aborted(signal, 1_000)).toMatchObject({ name: "TimeoutError" });
  });
});
