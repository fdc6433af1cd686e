import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorFault } from "../../infra/local/apideck-simulator.ts";
import type { SecretsManagerFault } from "../../infra/local/secrets-manager-endpoint.ts";
import type { SecretsManagerErrorType } from "../../infra/local/secrets-manager-protocol.ts";
import { RETRY_DEFAULTS } from "../../lambda/apideck/retry-policy.ts";
import { SECRETS_MANAGER_CLIENT_CONFIG } from "../../lambda/compose-handler.ts";
import { type BrokerHarness, SECRET_NAME, startBrokerHarness } from "../support/broker-harness.ts";

// Issue #6: every fault Apideck or Secrets Manager can throw at the service, played on every request
// by the loopback stand-ins until cleared. For each: the README's error table, the retry bound, the
// deadline, and recovery on the very next request. upstream-errors.test.ts covers single-shot cases
// (pass-through, Retry-After echo, one 503 then success); this file adds what a lasting fault must
// not break: bounded attempts and time, no stack trace, no unhandled rejection, recovery.

/** What the README's error table promises for a fault, and how many attempts it may cost. */
interface Expectation {
  readonly status: number;
  readonly typeName: string;
  /** Attempts at the faulty upstream: Apideck requests, or GetSecretValue calls. */
  readonly maxAttempts: number;
  readonly retryAfter?: string;
}

/** One row of the matrix. */
interface FaultRow extends Expectation {
  readonly fault: string;
  /** The very next request, with the fault cleared, answers 200. */
  readonly recovers: boolean;
  readonly upstream: "apideck" | "secrets";
  /** Makes the fault last until the stand-ins are reset. */
  readonly inject: (harness: BrokerHarness) => void;
  /** The Lambda's remaining time: the deadline the answer must beat. @default 3000 */
  readonly remainingMs?: number;
  readonly env?: Record<string, string>;
}

type Options = Partial<Pick<FaultRow, "remainingMs" | "env" | "recovers">>;
const APIDECK_MAX = RETRY_DEFAULTS.maxAttempts;
const SDK_MAX = SECRETS_MANAGER_CLIENT_CONFIG.maxAttempts;

// The README's error table, as far as upstream faults reach it.
const upstreamError = { status: 502, typeName: "UpstreamError", maxAttempts: APIDECK_MAX };
const throttled = {
  status: 429,
  typeName: "TooManyRequestsError",
  maxAttempts: APIDECK_MAX,
  retryAfter: "1",
};
const timedOut = { status: 504, typeName: "UpstreamTimeoutError", maxAttempts: APIDECK_MAX };
const network = { status: 502, typeName: "UpstreamNetworkError", maxAttempts: APIDECK_MAX };
const invalidBody = { status: 502, typeName: "UpstreamInvalidResponseError", maxAttempts: 1 };
const unavailable = {
  status: 503,
  typeName: "SecretUnavailableError",
  maxAttempts: SDK_MAX,
  retryAfter: "1",
};
const misconfigured = { status: 500, typeName: "InternalError", maxAttempts: 1 };

function apideck(fault: string, sim: SimulatorFault, expected: Expectation, options?: Options): FaultRow {
  const inject = (h: BrokerHarness) => h.simulator.setFaultRate(1, sim);
  return { fault, upstream: "apideck", inject, recovers: true, ...expected, ...options };
}

// The endpoint only queues faults: queue more than the SDK's attempts, so a surplus retry would show.
function secrets(fault: string, sm: SecretsManagerFault, expected: Expectation, options?: Options): FaultRow {
  const inject = (h: BrokerHarness) => h.secretsManager.inject(...Array(SDK_MAX + 2).fill(sm));
  return { fault, upstream: "secrets", inject, recovers: true, ...expected, ...options };
}

const error = (type: SecretsManagerErrorType) => ({ kind: "error", type }) as const;
const hang: SimulatorFault = { kind: "hang", ms: 10_000 };
const throttledFor1s: SimulatorFault = { kind: "status", status: 429, retryAfter: "1" };
const noSessionUri = { status_code: 200, status: "OK", data: { session_token: "token" } };
const slowSdk = { remainingMs: 10_000 }; // the SDK's throttling backoff alone may take 3 s
// The SDK's requestTimeout (3 s) and UPSTREAM_TIMEOUT_MS outlast this: only the deadline can end them.
const pastDeadline = { remainingMs: 1_000, env: { UPSTREAM_TIMEOUT_MS: "20000" } };
const malformed: FaultRow = {
  fault: "a malformed secret",
  upstream: "secrets",
  inject: (h) => h.secretsManager.putSecret(SECRET_NAME, "{not json"),
  recovers: true,
  ...misconfigured,
};

const ROWS: FaultRow[] = [
  ...[500, 502, 503, 504].map((status) =>
    apideck(`Apideck ${status}`, { kind: "status", status }, upstreamError),
  ),
  apideck("Apideck 429 with Retry-After", throttledFor1s, throttled, { remainingMs: 4_000 }),
  apideck("Apideck 429 without Retry-After", { kind: "status", status: 429 }, throttled),
  apideck("an Apideck hang past the attempt timeout", hang, timedOut),
  apideck("an Apideck hang past the deadline", hang, { ...timedOut, maxAttempts: 1 }, pastDeadline),
  apideck("a reset before the response", { kind: "reset", when: "before-response" }, network),
  apideck("a reset mid-body", { kind: "reset", when: "mid-body" }, network),
  apideck("an HTML error page (proxy 502)", { kind: "html", status: 502 }, upstreamError),
  apideck("a 200 of the wrong JSON shape", { kind: "json", status: 200, body: [{ a: 1 }] }, invalidBody),
  apideck("a 200 without session_uri", { kind: "json", status: 200, body: noSessionUri }, invalidBody),
  apideck("a body trickled past the attempt timeout", { kind: "trickle", chunkDelayMs: 100 }, timedOut),
  secrets("Secrets Manager throttling", error("ThrottlingException"), unavailable, slowSdk),
  secrets("Secrets Manager 500", error("InternalServiceError"), unavailable, slowSdk),
  secrets("Secrets Manager down", { kind: "down" }, unavailable, slowSdk),
  secrets(
    "a Secrets Manager hang past the deadline",
    { kind: "hang", ms: 8_000 },
    { ...unavailable, maxAttempts: 1 },
    pastDeadline,
  ),
  secrets("ResourceNotFoundException", error("ResourceNotFoundException"), misconfigured),
  secrets("AccessDeniedException", error("AccessDeniedException"), misconfigured),
  secrets("DecryptionFailure", error("DecryptionFailure"), misconfigured),
  malformed,
];

describe("Resilience: fault matrix", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  let harness: BrokerHarness | undefined;

  beforeAll(() => void process.on("unhandledRejection", onUnhandled));

  afterEach(async () => {
    await harness?.close();
    // A rejection nobody awaited surfaces on a later turn of the event loop: give it one.
    await new Promise((resolve) => setImmediate(resolve));
    expect(harness?.leakedSecrets()).toEqual([]);
    expect(unhandled.splice(0)).toEqual([]);
    harness = undefined;
  });

  afterAll(() => void process.off("unhandledRejection", onUnhandled));

  it.each(ROWS)("answers $status $typeName to $fault, then recovers", async (row) => {
    harness = await startBrokerHarness({ env: { UPSTREAM_TIMEOUT_MS: "300", ...row.env } });
    const h = harness;
    const remainingMs = row.remainingMs ?? 3_000;
    row.inject(h);

    const startedAt = performance.now();
    const result = await h.postVaultSessions({ remainingMs });
    const elapsedMs = performance.now() - startedAt;

    expect(result.statusCode).toBe(row.status);
    expect(result.body).toMatchObject({
      status_code: row.status,
      error: expect.any(String),
      type_name: row.typeName,
      request_id: expect.any(String),
    });
    expect(result.body.message).toEqual(expect.any(String));
    if (row.status === 500) expect(result.body.message).toMatch(/^The service is misconfigured; /);
    expect(result.raw).not.toContain("    at ");
    expect(result.headers["retry-after"]).toBe(row.retryAfter);
    // Apideck faults cost one key read, then bounded attempts; Secrets Manager faults never reach Apideck.
    const apideckCalls = h.simulator.requests.length;
    const secretCalls = h.secretsManager.getSecretValueCalls;
    const [attempts, others] =
      row.upstream === "apideck" ? [apideckCalls, secretCalls] : [secretCalls, apideckCalls];
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(row.maxAttempts);
    expect(others).toBe(row.upstream === "apideck" ? 1 : 0);
    expect(elapsedMs).toBeLessThan(remainingMs);

    h.simulator.reset();
    h.secretsManager.reset();
    if (!row.recovers) return;
    const next = await h.postVaultSessions();
    expect(next.statusCode).toBe(200);
    expect(next.body).toMatchObject({ data: { session_uri: expect.any(String) } });
  });
});
