import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type AttemptFailure,
  parseRetryAfter,
  RETRY_DEFAULTS,
  retryDelayMs,
} from "../../../lambda/apideck/retry-policy.ts";

const plenty = 10_000;
const status = (code: number, retryAfterSeconds?: number): AttemptFailure => ({
  kind: "status",
  status: code,
  retryAfterSeconds,
});

describe("Unit: retry policy", () => {
  describe("retryDelayMs", () => {
    it("uses three attempts, a 200 ms base, a 2 s cap and a 250 ms attempt floor", () => {
      expect(RETRY_DEFAULTS).toEqual({
        maxAttempts: 3,
        baseDelayMs: 200,
        maxDelayMs: 2_000,
        minAttemptMs: 250,
      });
    });

    it("stops at the attempt bound", () => {
      const failure: AttemptFailure = { kind: "network" };

      expect(retryDelayMs(failure, 1, plenty, () => 0.5)).toBeDefined();
      expect(retryDelayMs(failure, 2, plenty, () => 0.5)).toBeDefined();
      expect(retryDelayMs(failure, RETRY_DEFAULTS.maxAttempts, plenty, () => 0.5)).toBeUndefined();
      expect(retryDelayMs(failure, RETRY_DEFAULTS.maxAttempts + 1, plenty, () => 0.5)).toBeUndefined();
    });

    it.each<[string, AttemptFailure]>([
      ["a network failure", { kind: "network" }],
      ["a timeout", { kind: "timeout" }],
      ...[408, 429, 500, 502, 503, 504].map((code): [string, AttemptFailure] => [
        `status ${code}`,
        status(code),
      ]),
    ])("retries %s", (_, failure) => {
      expect(retryDelayMs(failure, 1, plenty, () => 0.5)).toBe(100);
    });

    it.each([301, 400, 401, 402, 403, 404, 409, 422, 501, 505, 599])("never retries status %i", (code) => {
      expect(retryDelayMs(status(code), 1, plenty, () => 0.5)).toBeUndefined();
    });

    it("does not retry a non-retryable status even with a Retry-After", () => {
      expect(retryDelayMs(status(400, 1), 1, plenty)).toBeUndefined();
    });

    it("honours Retry-After instead of jitter, even above the backoff cap", () => {
      const random = vi.fn(() => 0.5);

      expect(retryDelayMs(status(429, 3), 1, plenty, random)).toBe(3_000);
      expect(retryDelayMs(status(503, 0), 2, plenty, random)).toBe(0);
      expect(random).not.toHaveBeenCalled();
    });

    it.each([
      [1, 200],
      [2, 400],
    ])("keeps the jittered delay after attempt %i within [0, %i)", (attempt, cap) => {
      expect(retryDelayMs({ kind: "network" }, attempt, plenty, () => 0)).toBe(0);
      expect(retryDelayMs({ kind: "network" }, attempt, plenty, () => 0.999_999)).toBe(cap - 1);
      expect(retryDelayMs({ kind: "network" }, attempt, plenty, () => 0.25)).toBe(cap / 4);
    });

    it("never exceeds the jitter cap over many random draws", () => {
      for (let draw = 0; draw < 1_000; draw++) {
        const delay = retryDelayMs({ kind: "timeout" }, 2, plenty) ?? Number.NaN;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(400);
      }
    });

    it("does not retry when the delay would not leave minAttemptMs for the next attempt", () => {
      // random 0.5 after attempt 1: 100 ms of delay, plus the 250 ms floor
      expect(retryDelayMs({ kind: "network" }, 1, 350, () => 0.5)).toBe(100);
      expect(retryDelayMs({ kind: "network" }, 1, 349, () => 0.5)).toBeUndefined();
    });

    it("does not retry when Retry-After is later than the deadline allows", () => {
      expect(retryDelayMs(status(429, 5), 1, 5_250)).toBe(5_000);
      expect(retryDelayMs(status(429, 5), 1, 5_249)).toBeUndefined();
    });

    it("does not retry with no time left at all", () => {
      expect(retryDelayMs({ kind: "network" }, 1, 0, () => 0)).toBeUndefined();
    });
  });

  describe("parseRetryAfter", () => {
    const now = Date.UTC(2025, 10, 22, 13, 0, 0);

    afterEach(() => {
      vi.useRealTimers();
    });

    it.each([
      ["120", 120],
      ["0", 0],
      [" 5 ", 5],
      ["3600", 3_600],
    ])("reads delta-seconds %j as %i", (header, seconds) => {
      expect(parseRetryAfter(header, now)).toBe(seconds);
    });

    it("reads an HTTP date as the seconds from now", () => {
      expect(parseRetryAfter("Sat, 22 Nov 2025 13:00:30 GMT", now)).toBe(30);
    });

    it("rounds a date part of a second away up to a whole second", () => {
      expect(parseRetryAfter("Sat, 22 Nov 2025 13:00:30 GMT", now + 29_500)).toBe(1);
    });

    it("reads a date in the past as 0", () => {
      expect(parseRetryAfter("Sat, 22 Nov 2025 12:59:00 GMT", now)).toBe(0);
    });

    it.each([
      ["delta-seconds", "86400"],
      ["an HTTP date", "Sun, 23 Nov 2025 13:00:00 GMT"],
    ])("caps %s at an hour", (_, header) => {
      expect(parseRetryAfter(header, now)).toBe(3_600);
    });

    it.each([null, undefined, "", "   ", "soon", "1e3", "0x10", "12abc"])(
      "returns undefined for %j",
      (header) => {
        expect(parseRetryAfter(header, now)).toBeUndefined();
      },
    );

    it("measures from the current time by default", () => {
      vi.useFakeTimers({ now });

      expect(parseRetryAfter("Sat, 22 Nov 2025 13:01:00 GMT")).toBe(60);
    });
  });
});

describe("Unit: retry policy: regressions", () => {
  // Guards: a Retry-After that is neither delta-seconds nor an HTTP date is ignored (unit-test review).
  it.each(["1.5", "-1", "foo 2", "2026-11-22"])(
    "ignores the Retry-After %j instead of reading it as a date",
    (header) => {
      expect(parseRetryAfter(header, Date.UTC(2025, 10, 22))).toBeUndefined();
    },
  );

  // Guards: an IMF-fixdate Retry-After is still read (unit-test review).
  it("still reads an IMF-fixdate Retry-After", () => {
    expect(parseRetryAfter("Sat, 22 Nov 2025 00:00:30 GMT", Date.UTC(2025, 10, 22))).toBe(30);
  });
});
