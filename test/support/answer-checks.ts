import { expect } from "vitest";
import type { SimulatorRequest } from "../../infra/local/apideck-simulator.ts";
import type { BrokerHarness, HttpResult } from "./broker-harness.ts";

/** Every error type a caller can cause with its own request: the 4xx answers of error-mapping.ts. */
export const CLIENT_ERROR_TYPES = [
  "RequestValidationError",
  "MissingConsumerIdError",
  "MalformedJsonError",
  "RepeatedHeaderError",
  "UnsupportedMediaTypeError",
  "PayloadTooLargeError",
  "ForbiddenRequestError",
  "RouteNotFoundError",
] as const;

/** A direct invocation's outcome: what the handler returned, or the error it threw. */
export type Settled =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** Awaits `promise` without throwing. */
export async function settle(promise: Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The fuzz oracle for HTTP answers: either a 4xx Apideck-style JSON error and no call to Apideck,
 * or a 200 session after exactly one call that Apideck accepted. Returns that call, if any.
 */
export function expectHttpSessionOrClientError(
  result: HttpResult,
  harness: BrokerHarness,
  sentBefore: number,
): SimulatorRequest | undefined {
  expect(result.headers["content-type"]).toBe("application/json");
  expect(result.headers["cache-control"]).toBe("no-store");
  if (result.statusCode === 200) {
    const data = result.body.data as { session_uri?: unknown; session_token?: unknown } | undefined;
    expect(typeof data?.session_uri).toBe("string");
    expect(typeof data?.session_token).toBe("string");
    return expectOneValidUpstreamCall(harness, sentBefore);
  }
  expect(result.statusCode).toBeGreaterThanOrEqual(400);
  expect(result.statusCode).toBeLessThan(500);
  expect(result.body).toMatchObject({ status_code: result.statusCode, message: expect.any(String) });
  expect(CLIENT_ERROR_TYPES).toContain(result.body.type_name);
  expect(harness.simulator.requests).toHaveLength(sentBefore);
  return undefined;
}

/** The same oracle for a direct invocation: a session result, or a thrown 4xx error named by its type. */
export function expectInvocationSessionOrClientError(
  outcome: Settled,
  harness: BrokerHarness,
  sentBefore: number,
): SimulatorRequest | undefined {
  if (outcome.ok) {
    expect(Object.keys(outcome.value as object).sort()).toEqual([
      "expires_at",
      "session_token",
      "session_uri",
    ]);
    return expectOneValidUpstreamCall(harness, sentBefore);
  }
  const error = outcome.error as Error & { statusCode?: number };
  expect(CLIENT_ERROR_TYPES).toContain(error.name);
  expect(error.statusCode).toBeGreaterThanOrEqual(400);
  expect(error.statusCode).toBeLessThan(500);
  expect(harness.simulator.requests).toHaveLength(sentBefore);
  return undefined;
}

function expectOneValidUpstreamCall(harness: BrokerHarness, sentBefore: number): SimulatorRequest {
  expect(harness.simulator.requests).toHaveLength(sentBefore + 1);
  const sent = harness.simulator.requests[sentBefore] as SimulatorRequest;
  expect(sent.valid).toBe(true);
  return sent;
}

/** Log lines of the request log whose outcome is not the caller's: there should be none in these tests. */
export function serverSideOutcomes(harness: BrokerHarness): Record<string, unknown>[] {
  return harness.logs
    .lines()
    .filter(
      (line) =>
        line.message === "vault session request" && line.outcome !== "ok" && line.outcome !== "client_error",
    );
}
