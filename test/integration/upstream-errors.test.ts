import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorFault } from "../../infra/local/apideck-simulator.ts";
import { RETRY_DEFAULTS } from "../../lambda/apideck/retry-policy.ts";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// Every status Apideck may answer, played by the simulator over a real socket, and what the
// caller gets back: the README's error table, row by row.

describe("Integration: upstream errors", () => {
  let harness: BrokerHarness;

  // A generous attempt timeout: on a loaded 2-core machine a first request can take a few hundred
  // ms, and a timed-out attempt would consume the injected fault. Hang tests set a short one.
  beforeEach(async () => {
    harness = await startBrokerHarness({ env: { UPSTREAM_TIMEOUT_MS: "5000" } });
  });

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  it.each([
    [400, 400, "RequestValidationError"],
    [422, 422, "InvalidStateError"],
  ])("passes Apideck's %i on as UpstreamValidationError data", async (status, expected, typeName) => {
    harness.simulator.inject({
      kind: "json",
      status,
      body: {
        status_code: status,
        error: "x",
        type_name: typeName,
        message: "Invalid Params",
        detail: { missing: [{ foo: "required" }] },
      },
    });

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(expected);
    expect(result.body).toMatchObject({
      type_name: "UpstreamValidationError",
      message: "Apideck rejected the request: Invalid Params",
      detail: { upstream_type_name: typeName, upstream_detail: { missing: [{ foo: "required" }] } },
    });
    expect(harness.simulator.requests).toHaveLength(1);
  });

  it.each([
    [402, /plan/],
    [403, /may use the configured app/],
    [404, /APIDECK_APP_ID/],
  ])("turns Apideck's %i into a 502 that tells the operator what to fix", async (status, message) => {
    harness.simulator.inject({ kind: "status", status });

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(502);
    expect(result.body).toMatchObject({
      type_name: "UpstreamConfigurationError",
      request_id: expect.any(String),
    });
    expect(result.body.message).toMatch(message);
    expect(harness.simulator.requests).toHaveLength(1);
  });

  it.each([500, 502, 503, 504])("retries %i up to the bound, then answers 502", async (status) => {
    const fault: SimulatorFault = { kind: "status", status };
    harness.simulator.inject(fault, fault, fault, fault);

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(502);
    expect(result.body.type_name).toBe("UpstreamError");
    expect(harness.simulator.requests).toHaveLength(RETRY_DEFAULTS.maxAttempts);
  });

  it("recovers from one 503 with a retry", async () => {
    harness.simulator.inject({ kind: "status", status: 503 });

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(200);
    expect(harness.simulator.requests).toHaveLength(2);
  });

  it("honours Retry-After on 429, and answers 429 with Retry-After when throttling persists", async () => {
    const throttled: SimulatorFault = { kind: "status", status: 429, retryAfter: "0" };
    harness.simulator.inject(throttled, throttled, { kind: "status", status: 429, retryAfter: "7" });

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(429);
    expect(result.headers["retry-after"]).toBe("7");
    expect(harness.simulator.requests).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than the request's budget", async () => {
    harness.simulator.inject({ kind: "status", status: 429, retryAfter: "60" });
    const startedAt = Date.now();

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(429);
    expect(result.headers["retry-after"]).toBe("60");
    expect(harness.simulator.requests).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it("answers 504 after every attempt times out", async () => {
    await harness.close();
    harness = await startBrokerHarness({ env: { UPSTREAM_TIMEOUT_MS: "300" } });
    const hang: SimulatorFault = { kind: "hang", ms: 5_000 };
    harness.simulator.inject(hang, hang, hang);

    const result = await harness.postVaultSessions({ remainingMs: 10_000 });

    expect(result.statusCode).toBe(504);
    expect(result.body.type_name).toBe("UpstreamTimeoutError");
    expect(harness.simulator.requests).toHaveLength(3);
  });

  it("stops at the Lambda's deadline even when the attempt timeout is longer", async () => {
    await harness.close();
    harness = await startBrokerHarness({ env: { UPSTREAM_TIMEOUT_MS: "20000" } });
    harness.simulator.inject({ kind: "hang", ms: 10_000 });
    const startedAt = Date.now();

    const result = await harness.postVaultSessions({ remainingMs: 1_000 });

    expect(result.statusCode).toBe(504);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it("retries a connection reset and succeeds", async () => {
    harness.simulator.inject({ kind: "reset", when: "before-response" });

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(200);
    expect(harness.simulator.requests).toHaveLength(2);
  });

  it.each<[string, SimulatorFault]>([
    ["an HTML error page", { kind: "html", status: 200 }],
    [
      "a 200 without session_uri",
      { kind: "json", status: 200, body: { status_code: 200, status: "OK", data: { session_token: "x" } } },
    ],
  ])("answers 502 to %s, without retrying", async (_name, fault) => {
    harness.simulator.inject(fault);

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(502);
    expect(result.body.type_name).toBe("UpstreamInvalidResponseError");
    expect(harness.simulator.requests).toHaveLength(1);
  });

  it("throws a named error to a direct invoker, without stack frames", async () => {
    harness.simulator.inject({ kind: "status", status: 404 });

    const error = (await harness.invoke({ consumer_id: "account:1" }).catch((e: unknown) => e)) as Error;

    expect(error.name).toBe("UpstreamConfigurationError");
    expect(error.stack).toBe(`${error.name}: ${error.message}`);
  });
});
