import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorFault } from "../../infra/local/apideck-simulator.ts";
import type { SecretsManagerFault } from "../../infra/local/secrets-manager-endpoint.ts";
import { type BrokerHarness, type HttpInit, startBrokerHarness } from "../support/broker-harness.ts";

/** One row of the README's error table. */
interface ErrorRow {
  readonly situation: string;
  readonly status: string;
  readonly typeName: string;
}

/** The rows of the table under README "## Errors", as written. */
function readmeErrorRows(): ErrorRow[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(
    readme.indexOf("\n## Errors\n"),
    readme.indexOf("\n## ", readme.indexOf("\n## Errors\n") + 1),
  );
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const [header, , ...body] = rows;
  expect(header).toEqual(["situation", "status", "`type_name`", "notes"]);
  return body.map(([situation = "", status = "", typeName = ""]) => ({
    situation,
    status,
    typeName: typeName.replaceAll("`", ""),
  }));
}

/** The type_name Apideck sends in the 400/422 row: it must not become the answer's name. */
const APIDECK_TYPE_NAME = "ValidationError";

/** How to bring about a row's situation: faults to queue, then an HTTP request and/or a direct invocation. */
interface Trigger {
  readonly apideck?: readonly SimulatorFault[];
  readonly secret?: readonly SecretsManagerFault[];
  readonly http?: HttpInit;
  readonly invoke?: unknown;
  readonly remainingMs?: number;
}

const times = <T>(count: number, fault: T): T[] => Array.from({ length: count }, () => fault);
const session = (value: unknown) => ({ consumer_id: "account:12345", session: value });
const valid = { redirect_uri: "https://app.example.com/done" };

// Keyed by the README's wording: a row added to the README without a trigger here fails the test.
const TRIGGERS: Record<string, Trigger> = {
  "body is not JSON": { http: { body: "{" } },
  "no consumer id": { http: { headers: { "x-apideck-consumer-id": "" } }, invoke: {} },
  "`x-apideck-consumer-id` sent more than once (API Gateway joins the copies with `, `)": {
    http: { headers: { "x-apideck-consumer-id": "account:1, account:2" } },
  },
  "body over 16 KB (a direct invocation's payload over 16 KB as JSON)": {
    http: { body: { custom_consumer_settings: { x: "a".repeat(17_000) } } },
    invoke: session({ custom_consumer_settings: { x: "a".repeat(17_000) } }),
  },
  "body without a JSON content type": { http: { headers: { "content-type": "text/plain" }, body: "{}" } },
  "body not a valid `Session` (or nested deeper than 32 levels), bad consumer id (a comma included), a URL or name that breaks a rule (Validation)":
    {
      http: { body: { redirect_uri: "not a url" } },
      invoke: session({ redirect_uri: "not a url" }),
    },
  "app id or consumer id mismatch, locked field, redirect not allowed, API not allowed, session too long, consumer outside `CONSUMER_ID_SCOPE`, an `email` consumer claim without `email_verified` true":
    {
      http: { headers: { "x-apideck-app-id": "another-app" } },
      invoke: session({ theme: { vault_name: "x" } }),
    },
  "unknown route in a hand-built HTTP event (direct invocation only; API Gateway answers real unknown routes itself)":
    { http: { event: { routeKey: "GET /nothing", rawPath: "/nothing" } } },
  "Apideck 400 / 422": {
    apideck: [
      {
        kind: "json",
        status: 422,
        body: {
          status_code: 422,
          error: "Unprocessable Entity",
          type_name: APIDECK_TYPE_NAME,
          message: "Invalid",
        },
      },
    ],
    http: { body: valid },
    invoke: session(valid),
  },
  "Apideck 401 (after one key refresh)": {
    apideck: [{ kind: "status", status: 401 }],
    http: {},
    invoke: session(valid),
  },
  "Apideck 402": { apideck: [{ kind: "status", status: 402 }], http: {}, invoke: session(valid) },
  "Apideck 403": { apideck: [{ kind: "status", status: 403 }], http: {}, invoke: session(valid) },
  "Apideck 404": { apideck: [{ kind: "status", status: 404 }], http: {}, invoke: session(valid) },
  "Apideck 429 (after retries)": {
    apideck: times(3, { kind: "status", status: 429, retryAfter: "0" }),
    http: {},
    invoke: session(valid),
  },
  "Apideck 5xx or any other status (500, 502, 503, 504 after retries; the rest at once)": {
    apideck: times(3, { kind: "status", status: 500 }),
    http: {},
    invoke: session(valid),
  },
  "Apideck unreachable, connection reset": {
    apideck: times(3, { kind: "reset", when: "before-response" }),
    http: {},
    invoke: session(valid),
  },
  "Apideck 2xx that is not a session (HTML, wrong JSON, no `session_uri`, more than 64 KB once decoded)": {
    apideck: [{ kind: "html", status: 200 }],
    http: {},
    invoke: session(valid),
  },
  "Apideck gave no answer in time (or Middy's backstop fired)": {
    apideck: times(3, { kind: "hang", ms: 10_000 }),
    remainingMs: 1_000,
    http: {},
    invoke: session(valid),
  },
  "Secrets Manager throttling, timeout, unreachable, 5xx (after the SDK's retries), or its read ran past the deadline":
    {
      secret: times(3, { kind: "error", type: "ThrottlingException" }),
      http: {},
      invoke: session(valid),
    },
  "no AWS region, missing or invalid AWS credentials, secret missing, access denied, KMS failure, secret scheduled for deletion, any other refusal, malformed secret":
    {
      secret: [{ kind: "error", type: "AccessDeniedException" }],
      http: {},
      invoke: session(valid),
    },
  // A direct invoker's payload is JSON in Lambda; in process, a getter that throws is the one way
  // left to make the handler meet an error nobody planned for.
  "anything unexpected": {
    invoke: {
      consumer_id: "account:12345",
      get session(): unknown {
        throw new TypeError("unplanned");
      },
    },
  },
};

// One name per error: for each row of the README's error table, the HTTP answer's `type_name`, the
// direct invocation's error name (and its constructor's, which Lambda's JSON log format prints) and
// the request log line's `error_name` are the name the README gives.
describe("Integration: one name per error, as the README's error table says", () => {
  let harness: BrokerHarness;
  const rows = readmeErrorRows();

  // A harness per row: its log capture lasts one test (vitest restores the mocks after each).
  beforeEach(async () => {
    harness = await startBrokerHarness({
      // Every request reads the secret, so secret faults reach it; `theme` locked for the 403 row.
      env: { SECRET_CACHE_TTL_SECONDS: "0", LOCKED_FIELDS: "theme", UPSTREAM_TIMEOUT_MS: "5000" },
    });
  });

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  const arrange = (trigger: Trigger) => {
    harness.simulator.reset();
    harness.secretsManager.reset();
    harness.simulator.inject(...(trigger.apideck ?? []));
    harness.secretsManager.inject(...(trigger.secret ?? []));
  };
  const lastLogLine = () =>
    harness.logs
      .lines()
      .filter((line) => line.message === "vault session request")
      .at(-1);

  it("has a trigger for every row, and every trigger has a row", () => {
    expect(rows.map((row) => row.situation).sort()).toEqual(Object.keys(TRIGGERS).sort());
  });

  it.each(rows)("$situation: $status $typeName", async ({ situation, status, typeName }) => {
    const trigger = TRIGGERS[situation] as Trigger;
    // Apideck's own type_name is data (detail.upstream_type_name), never the name.
    const expected = typeName;
    const statuses = status.split("/").map((s) => Number(s.trim()));
    expect(trigger.http ?? trigger.invoke).toBeDefined();

    if (trigger.http) {
      arrange(trigger);
      const result = await harness.postVaultSessions({ remainingMs: trigger.remainingMs, ...trigger.http });

      expect(statuses).toContain(result.statusCode);
      expect(result.body.type_name).toBe(expected);
      expect(lastLogLine()).toMatchObject({ status_code: result.statusCode, error_name: expected });
    }
    if (trigger.invoke) {
      arrange(trigger);
      const error = (await harness
        .invoke(trigger.invoke, trigger.remainingMs)
        .catch((e: unknown) => e)) as Error & {
        statusCode: number;
      };

      expect(error).toBeInstanceOf(Error);
      expect({ name: error.name, constructor: error.constructor.name }).toEqual({
        name: expected,
        constructor: expected,
      });
      expect(statuses).toContain(error.statusCode);
      expect(lastLogLine()).toMatchObject({
        route: "invoke",
        status_code: error.statusCode,
        error_name: expected,
      });
    }
  });
});
