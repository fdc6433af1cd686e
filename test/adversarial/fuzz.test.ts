import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorRequest } from "../../infra/local/apideck-simulator.ts";
import { parseSessionLength } from "../../lambda/session/length.ts";
import type { Session } from "../../lambda/session/schema.ts";
import {
  expectHttpSessionOrClientError,
  expectInvocationSessionOrClientError,
  serverSideOutcomes,
  settle,
} from "../support/answer-checks.ts";
import { APP_ID, type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";
import { POLLUTION_MARKERS, UNSAFE_KEYS } from "../support/json-arbitraries.ts";
import { inheritedMarkers, prototypeChanges, snapshotPrototypes } from "../support/prototype-snapshot.ts";
import {
  bodyText,
  consumerId,
  contentType,
  goodConsumerId,
  invocationPayload,
  jwtClaims,
  queryEventFields,
  queryString,
  repeatedHeader,
} from "../support/request-arbitraries.ts";
import {
  isCleanDisplayName,
  isCleanHttpsUrl,
  NAME_FIELD_PATHS,
  URL_FIELD_PATHS,
} from "../support/trust-arbitraries.ts";

// Property-based fuzz of the whole handler, in process, against the loopback Apideck simulator.
// Oracle for every generated request: a 4xx JSON error and no call to Apideck, or a session after
// exactly one call that Apideck accepted (`valid: true`); never a 5xx, never a leaked secret, and
// Object.prototype untouched at the end. Seeds are fixed, so a failure replays as printed.

const prototypesBefore = snapshotPrototypes();
let generatedRequests = 0;

/**
 * Keeps the harness's clock on wall time. The handler computes its upstream deadline from the
 * injected clock, while the Apideck client measures the time left with Date.now (compose-handler.ts
 * does not pass `now` to it): a clock left behind would make every call time out after 10 s.
 */
function keepClockReal(harness: BrokerHarness): void {
  harness.clock.advance(Date.now() - harness.clock.now());
}

/** The operator's policy: every knob set, with locks on a top-level and a nested field. */
const POLICY_ENV = {
  SESSION_DEFAULTS: JSON.stringify({
    theme: { vault_name: "Acme", primary_color: "#286efa" },
    settings: { sandbox_mode: true, show_logs: false },
  }),
  LOCKED_FIELDS: "theme,settings.sandbox_mode",
  ALLOWED_UNIFIED_APIS: "crm,hris,accounting",
  MAX_SESSION_LENGTH: "30m",
  REDIRECT_ALLOWLIST: "https://app.example.com,https://partner.example/done",
  // Globs (README "Session policy"): ids that start with a to m, or that have a colon anywhere.
  CONSUMER_ID_SCOPE: "a*,b*,c*,d*,e*,f*,g*,h*,i*,j*,k*,l*,m*,*:*",
};
const POLICY_CONSUMER_ID = /^(?:[a-m]|.*:)/su;

const BASE_HEADERS = {
  accept: "application/json",
  host: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
  "user-agent": "fuzz/1.0",
};

/** Headers with the optional ones left out when the arbitrary chose `undefined`. */
function headersOf(optional: Record<string, string | undefined>): Record<string, string> {
  const headers: Record<string, string> = { ...BASE_HEADERS };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) headers[name] = value;
  return headers;
}

const appIdHeader = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(undefined, APP_ID) },
  { weight: 1, arbitrary: fc.constantFrom("other-app", `${APP_ID}, ${APP_ID}`, "", APP_ID.toUpperCase()) },
);

const httpRequest = fc.record({
  consumer: fc.oneof(
    { weight: 12, arbitrary: goodConsumerId },
    { weight: 4, arbitrary: repeatedHeader(consumerId) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
  appId: appIdHeader,
  contentType: fc.oneof(
    { weight: 20, arbitrary: contentType },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
  body: bodyText,
  base64: fc.boolean(),
  query: queryString,
});
type HttpRequest = typeof httpRequest extends fc.Arbitrary<infer T> ? T : never;

/** The harness's `HttpInit` for a generated request: the body (base64 when chosen) and the event fields. */
function httpInit(request: HttpRequest, extraHeaders: Record<string, string | undefined>) {
  const encode = request.base64 && request.body !== undefined && request.body !== "";
  return {
    body: encode ? Buffer.from(request.body ?? "", "utf8").toString("base64") : request.body,
    event: {
      headers: headersOf({
        "x-apideck-app-id": request.appId,
        "content-type": request.contentType,
        ...extraHeaders,
      }),
      isBase64Encoded: encode,
      ...queryEventFields(request.query),
    },
  };
}

/** A `__proto__`, `constructor` or `prototype` key anywhere in what Apideck received fails the test. */
function expectNoUnsafeKeys(body: unknown): void {
  const keys = (value: unknown): string[] =>
    typeof value !== "object" || value === null
      ? []
      : Object.entries(value).flatMap(([key, child]) => [key, ...keys(child)]);
  expect(keys(body).filter((key) => (UNSAFE_KEYS as readonly string[]).includes(key))).toEqual([]);
}

/** The value at a dotted path of what Apideck received. */
function valueAt(body: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) =>
        typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined,
      body,
    );
}

/** Issue 11's rules, judged by the fuzz's own oracles: clean URLs and names, one consumer per id. */
function expectTrustRules(sent: SimulatorRequest): void {
  for (const path of URL_FIELD_PATHS) {
    const value = valueAt(sent.body, path);
    if (value !== undefined) expect(isCleanHttpsUrl(String(value)), `${path}: ${String(value)}`).toBe(true);
  }
  for (const path of NAME_FIELD_PATHS) {
    const value = valueAt(sent.body, path);
    if (value !== undefined)
      expect(isCleanDisplayName(String(value)), `${path}: ${String(value)}`).toBe(true);
  }
  expect(sent.headers["x-apideck-consumer-id"]).not.toContain(",");
  expect(Buffer.byteLength(JSON.stringify(sent.body))).toBeLessThanOrEqual(16_384);
}

/** What every session sent under POLICY_ENV must satisfy, whatever the caller asked for. */
function expectWithinOperatorPolicy(sent: SimulatorRequest): void {
  expectNoUnsafeKeys(sent.body);
  expectTrustRules(sent);
  const body = sent.body as Session;
  expect(body.theme).toEqual({ vault_name: "Acme", primary_color: "#286efa" });
  expect(body.settings?.sandbox_mode).toBe(true);
  const apis = body.settings?.unified_apis ?? [];
  expect(apis.length).toBeGreaterThan(0);
  for (const api of apis) expect(["crm", "hris", "accounting"]).toContain(api);
  expect(parseSessionLength(body.settings?.session_length ?? "1h")).toBeLessThanOrEqual(1800);
  if (body.redirect_uri !== undefined) {
    const url = new URL(body.redirect_uri);
    expect(url.origin === "https://app.example.com" || url.href === "https://partner.example/done").toBe(
      true,
    );
  }
}

/** What every session sent under the open policy must satisfy: a plain https redirect at most. */
function expectWithinOpenPolicy(sent: SimulatorRequest): void {
  expectNoUnsafeKeys(sent.body);
  expectTrustRules(sent);
  const redirect = (sent.body as Session).redirect_uri;
  if (redirect === undefined) return;
  const url = new URL(redirect);
  expect(url.protocol).toBe("https:");
  expect(url.username + url.password).toBe("");
  expect(redirect).toMatch(/^https:\/\/[a-z0-9.-]+(?::\d+)?(?:[/?#]|$)/i);
}

describe("Adversarial: fuzz", () => {
  let harness: BrokerHarness;

  afterEach(async () => {
    await harness.close();
    expect(harness.simulator.requests.filter((request) => !request.valid)).toEqual([]);
    expect(harness.leakedSecrets()).toEqual([]);
    expect(serverSideOutcomes(harness)).toEqual([]);
  });

  describe("under the operator's policy", () => {
    beforeEach(async () => {
      harness = await startBrokerHarness({ env: POLICY_ENV });
    });

    it("answers 2,500 IAM-route requests with a 4xx or a session inside the policy", async () => {
      await fc.assert(
        fc.asyncProperty(httpRequest, async (request) => {
          generatedRequests++;
          keepClockReal(harness);
          const before = harness.simulator.requests.length;

          const result = await harness.postVaultSessions(
            httpInit(request, { "x-apideck-consumer-id": request.consumer }),
          );

          const sent = expectHttpSessionOrClientError(result, harness, before);
          if (sent === undefined) return;
          expectWithinOperatorPolicy(sent);
          expect(sent.headers["x-apideck-consumer-id"]).toBe(request.consumer);
          expect(request.consumer).toMatch(POLICY_CONSUMER_ID);
        }),
        { numRuns: 2_500, seed: 0x4_0001 },
      );
    }, 120_000);

    it("answers 2,500 JWT-route requests with the verified claim as the only consumer", async () => {
      await fc.assert(
        fc.asyncProperty(
          httpRequest,
          jwtClaims,
          fc.constantFrom("absent", "absent", "absent", "same", "same", "other", "joined"),
          consumerId,
          async (request, claims, headerMode, other) => {
            generatedRequests++;
            keepClockReal(harness);
            keepClockReal(harness);
            const before = harness.simulator.requests.length;
            const claimed = typeof claims.sub === "string" ? claims.sub : other;
            const consumerHeader = {
              absent: undefined,
              same: claimed,
              other,
              joined: `${claimed}, ${other}`,
            }[headerMode];

            const result = await harness.postSessions({
              claims,
              ...httpInit(request, { "x-apideck-consumer-id": consumerHeader }),
            });

            const sent = expectHttpSessionOrClientError(result, harness, before);
            if (sent === undefined) return;
            expectWithinOperatorPolicy(sent);
            expect(sent.headers["x-apideck-consumer-id"]).toBe(claims.sub);
            if (consumerHeader !== undefined) expect(consumerHeader).toBe(claims.sub);
          },
        ),
        { numRuns: 2_500, seed: 0x4_0002 },
      );
    }, 120_000);

    it("answers 1,250 direct invocations with a 4xx error or a session inside the policy", async () => {
      await fc.assert(
        fc.asyncProperty(invocationPayload, async (payload) => {
          generatedRequests++;
          keepClockReal(harness);
          const before = harness.simulator.requests.length;

          // The Lambda runtime hands the handler what JSON.parse made of the invoker's payload.
          const outcome = await settle(harness.invoke(JSON.parse(JSON.stringify(payload))));

          const sent = expectInvocationSessionOrClientError(outcome, harness, before);
          if (sent === undefined) return;
          expectWithinOperatorPolicy(sent);
          expect(sent.headers["x-apideck-consumer-id"]).toMatch(POLICY_CONSUMER_ID);
          expect(sent.headers["x-apideck-consumer-id"]).toBe(
            (payload as { consumer_id: unknown }).consumer_id,
          );
        }),
        { numRuns: 1_250, seed: 0x4_0003 },
      );
    }, 120_000);
  });

  describe("under the open policy", () => {
    beforeEach(async () => {
      harness = await startBrokerHarness();
    });

    it("answers 2,500 IAM-route requests with a 4xx or a session for exactly the header's consumer", async () => {
      await fc.assert(
        fc.asyncProperty(httpRequest, async (request) => {
          generatedRequests++;
          keepClockReal(harness);
          const before = harness.simulator.requests.length;

          const result = await harness.postVaultSessions(
            httpInit(request, { "x-apideck-consumer-id": request.consumer }),
          );

          const sent = expectHttpSessionOrClientError(result, harness, before);
          if (sent === undefined) return;
          expectWithinOpenPolicy(sent);
          // A repeated header reaches the handler joined with ", ": never a session (RepeatedHeaderError).
          expect(sent.headers["x-apideck-consumer-id"]).toBe(request.consumer);
        }),
        { numRuns: 2_500, seed: 0x4_0004 },
      );
    }, 120_000);

    it("answers 1,250 direct invocations with a 4xx error or a session for exactly consumer_id", async () => {
      await fc.assert(
        fc.asyncProperty(invocationPayload, async (payload) => {
          generatedRequests++;
          keepClockReal(harness);
          const before = harness.simulator.requests.length;

          const outcome = await settle(harness.invoke(JSON.parse(JSON.stringify(payload))));

          const sent = expectInvocationSessionOrClientError(outcome, harness, before);
          if (sent === undefined) return;
          expectWithinOpenPolicy(sent);
          expect(sent.headers["x-apideck-consumer-id"]).toBe(
            (payload as { consumer_id: unknown }).consumer_id,
          );
        }),
        { numRuns: 1_250, seed: 0x4_0005 },
      );
    }, 120_000);
  });
});

describe("Adversarial: fuzz aftermath", () => {
  it("has sent at least 10,000 generated requests through the handler", () => {
    expect(generatedRequests).toBeGreaterThanOrEqual(10_000);
  });

  it("leaves Object.prototype and its kin exactly as they were", () => {
    expect(prototypeChanges(prototypesBefore)).toEqual([]);
    expect(inheritedMarkers(POLLUTION_MARKERS)).toEqual([]);
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
