import { describe, expect, it, vi } from "vitest";
import { createApideckClient } from "../../lambda/apideck/client.ts";
import { parseRetryAfter } from "../../lambda/apideck/retry-policy.ts";
import { loadConfig } from "../../lambda/config.ts";
import { createHandler } from "../../lambda/create-handler.ts";
import type { InvalidEnvironmentError } from "../../lambda/errors/configuration-errors.ts";
import type { SessionValidationError } from "../../lambda/errors/request-errors.ts";
import { sessionExpiresAt } from "../../lambda/session/expiry.ts";
import { validateSession } from "../../lambda/session/validation.ts";

// Bugs found by the unit-test review, each pinned by the case that exposed it.

const problems = (body: unknown) => {
  try {
    validateSession(body);
    return [];
  } catch (error) {
    return (error as SessionValidationError).problems;
  }
};

describe("Unit: regressions", () => {
  it("says a field of the wrong type has the wrong type, not that it is missing", () => {
    expect(problems({ settings: { sandbox_mode: "yes" } })).toEqual([
      { path: "settings.sandbox_mode", problem: "must be a boolean" },
    ]);
    expect(problems("hello")).toEqual([{ path: "(body)", problem: "must be an object" }]);
  });

  it("describes an over-long custom_consumer_settings key", () => {
    const [problem] = problems({ custom_consumer_settings: { ["k".repeat(257)]: 1 } });

    expect(problem?.problem).toBe("key must be at most 256 characters");
  });

  it("names SECRET_CACHE_TTL_SECONDS=abc once, as not a whole number", () => {
    const error = (() => {
      try {
        loadConfig({ APIDECK_APP_ID: "a", APIDECK_SECRET_ID: "s", SECRET_CACHE_TTL_SECONDS: "abc" });
      } catch (e) {
        return e as InvalidEnvironmentError;
      }
    })();

    expect(error?.problems).toEqual([
      "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 86400",
    ]);
  });

  it("throws MissingConsumerIdError (400) to a direct invoker that sends no consumer_id", async () => {
    const config = loadConfig({ APIDECK_APP_ID: "app-1", APIDECK_SECRET_ID: "s" });
    const logger = { addContext: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() } as never;
    const handler = createHandler({ config, logger, broker: { openSession: vi.fn() } });

    const error = await handler({ session: {} }, {
      awsRequestId: "r",
      getRemainingTimeInMillis: () => 10_000,
    } as never).catch((e) => e);

    expect(error).toMatchObject({ name: "MissingConsumerIdError", statusCode: 400 });
  });

  it.each(["1.5", "-1", "foo 2", "2026-11-22"])(
    "ignores the Retry-After %j instead of reading it as a date",
    (header) => {
      expect(parseRetryAfter(header, Date.UTC(2025, 10, 22))).toBeUndefined();
    },
  );

  it("still reads an IMF-fixdate Retry-After", () => {
    expect(parseRetryAfter("Sat, 22 Nov 2025 00:00:30 GMT", Date.UTC(2025, 10, 22))).toBe(30);
  });

  it("falls back to session_length when the token's exp is outside a Date's range", () => {
    const token = `e30.${Buffer.from(JSON.stringify({ exp: 1e16 })).toString("base64url")}.sig`;

    expect(sessionExpiresAt(token, "30m", 0).toISOString()).toBe(new Date(30 * 60_000).toISOString());
  });

  it("retries a 503 whose error page is larger than the response limit", async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response("x".repeat(70_000), { status: 503 }))
      .mockResolvedValueOnce(
        Response.json({
          status_code: 200,
          status: "OK",
          data: { session_uri: "https://v.example/s", session_token: "t" },
        }),
      );
    const client = createApideckClient({
      baseUrl: "https://u.example",
      attemptTimeoutMs: 1000,
      fetch,
      random: () => 0,
    });
    const trace = { attempts: 0 };

    const result = await client.createSession(
      { apiKey: "k", appId: "a", consumerId: "c", session: {} },
      { signal: new AbortController().signal, deadlineAt: Date.now() + 5000 },
      trace,
    );

    expect(result.data.session_token).toBe("t");
    expect(trace.attempts).toBe(2);
  });

  it("refuses a 200 that declares a body over the limit, without reading it", async () => {
    const big = new Response("x".repeat(100), { status: 200, headers: { "content-length": String(70_000) } });
    const fetch = vi.fn().mockResolvedValueOnce(big);
    const client = createApideckClient({ baseUrl: "https://u.example", attemptTimeoutMs: 1000, fetch });

    const error = await client
      .createSession(
        { apiKey: "k", appId: "a", consumerId: "c", session: {} },
        { signal: new AbortController().signal, deadlineAt: Date.now() + 5000 },
        { attempts: 0 },
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "UpstreamInvalidResponseError" });
  });
});
