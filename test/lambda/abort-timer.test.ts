import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { abortAfter } from "../../lambda/abort-timer.ts";

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
