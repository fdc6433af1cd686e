import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateCreateSessionResponse, validateSessionRequest } from "../../infra/local/vault-contract.ts";
import {
  API_KEY,
  APP_ID,
  type BrokerHarness,
  ROTATED_API_KEY,
  SECRET_NAME,
  startBrokerHarness,
} from "../support/broker-harness.ts";

// The full path over real sockets: handler -> real Secrets Manager SDK client -> loopback endpoint,
// and real fetch -> Apideck simulator, which checks every request against vault.yml itself.

const FULL_SESSION = {
  consumer_metadata: {
    account_name: "SpaceX",
    user_name: "Elon Musk",
    email: "elon@musk.com",
    image: "https://www.spacex.com/static/images/share.jpg",
  },
  redirect_uri: "https://mysaas.com/dashboard",
  settings: {
    unified_apis: ["crm"],
    hide_resource_settings: false,
    sandbox_mode: false,
    isolation_mode: false,
    session_length: "30m",
    show_logs: true,
    show_suggestions: false,
    show_sidebar: true,
    auto_redirect: false,
    hide_guides: false,
    allow_actions: ["delete"],
  },
  theme: {
    primary_color: "#286efa",
    vault_name: "Intercom",
    privacy_url: "https://compliance.apideck.com/privacy-policy",
  },
  custom_consumer_settings: { feature_flag_1: true, tax_rates: [{ id: "6", label: "6%" }] },
};

describe("Integration: session flow", () => {
  let harness: BrokerHarness;

  beforeEach(async () => {
    harness = await startBrokerHarness();
  });

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  /** The function's request lines so far, in order. */
  const requestLines = () => harness.logs.lines().filter((line) => line.message === "vault session request");

  it("creates a session on the IAM route and sends Apideck exactly what vault.yml describes", async () => {
    const result = await harness.postVaultSessions({
      body: FULL_SESSION,
      headers: { "x-apideck-consumer-id": "account:12345" },
    });

    expect(result.statusCode).toBe(200);
    expect(validateCreateSessionResponse(result.body)).toEqual({ valid: true, errors: [] });
    expect(result.headers["cache-control"]).toBe("no-store");
    const [sent] = harness.simulator.requests;
    expect(harness.simulator.requests).toHaveLength(1);
    expect(sent?.valid).toBe(true);
    expect(validateSessionRequest(sent?.body)).toEqual({ valid: true, errors: [] });
    expect(sent?.body).toEqual(FULL_SESSION);
    expect(sent?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      "x-apideck-app-id": APP_ID,
      "x-apideck-consumer-id": "account:12345",
      "content-type": "application/json",
    });
    const data = result.body.data as { session_uri: string; session_token: string };
    const claims = await harness.simulator.verifySessionToken(data.session_token);
    expect(result.headers["x-vault-session-expires-at"]).toBe(
      new Date((claims.exp ?? 0) * 1000).toISOString(),
    );
    expect(harness.logs.lines().filter((line) => line.message === "vault session request")).toHaveLength(1);
  });

  it("accepts no body at all, as Apideck does", async () => {
    const result = await harness.postVaultSessions({ body: undefined });

    expect(result.statusCode).toBe(200);
    expect(harness.simulator.requests[0]?.body).toEqual({});
  });

  it("takes the consumer from the JWT claim and fills consumer_metadata from the token", async () => {
    const result = await harness.postSessions({
      body: {},
      claims: { sub: "user-42", email: "ada@example.com", name: "Ada" },
    });

    expect(result.statusCode).toBe(200);
    const [sent] = harness.simulator.requests;
    expect(sent?.headers["x-apideck-consumer-id"]).toBe("user-42");
    expect(sent?.body).toEqual({ consumer_metadata: { email: "ada@example.com", user_name: "Ada" } });
  });

  it("returns session_uri, session_token and expires_at to a direct invocation", async () => {
    const result = (await harness.invoke({
      consumer_id: "account:9",
      session: { settings: { session_length: "45m" } },
    })) as Record<string, string>;

    expect(Object.keys(result).sort()).toEqual(["expires_at", "session_token", "session_uri"]);
    const claims = await harness.simulator.verifySessionToken(result.session_token ?? "");
    expect(claims.consumer_id).toBe("account:9");
    expect(result.expires_at).toBe(new Date((claims.exp ?? 0) * 1000).toISOString());
    expect(Date.parse(result.expires_at ?? "") - Date.now()).toBeGreaterThan(44 * 60_000);
  });

  it("does not call Apideck or read the secret for an invalid request", async () => {
    const result = await harness.postVaultSessions({
      body: { redirect_uri: "javascript:alert(1)", settings: { unified_apis: ["nope"] } },
    });

    expect(result.statusCode).toBe(422);
    expect(result.body.detail).toEqual({
      redirect_uri:
        "must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
      "settings.unified_apis[0]": expect.stringContaining("must be one of"),
    });
    expect(harness.simulator.requests).toHaveLength(0);
    expect(harness.secretsManager.getSecretValueCalls).toBe(0);
    expect(requestLines()).toEqual([expect.objectContaining({ status_code: 422 })]);
    expect(requestLines()[0]).not.toHaveProperty("secret_read");
  });

  it("reads the secret once for many requests within the TTL", async () => {
    for (let i = 0; i < 5; i++) expect((await harness.postVaultSessions()).statusCode).toBe(200);

    expect(harness.secretsManager.getSecretValueCalls).toBe(1);
    expect(harness.simulator.requests).toHaveLength(5);
    expect(requestLines().map((line) => line.secret_read)).toEqual([
      "fetch",
      "cache",
      "cache",
      "cache",
      "cache",
    ]);
  });

  it("picks up a rotated key at once: 401, one fresh read, one retry", async () => {
    expect((await harness.postVaultSessions()).statusCode).toBe(200);
    const rotated = ROTATED_API_KEY;
    harness.simulator.setApiKey(rotated);
    harness.secretsManager.putSecret(SECRET_NAME, rotated);

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(200);
    expect(harness.secretsManager.getSecretValueCalls).toBe(2);
    expect(harness.simulator.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${API_KEY}`,
      `Bearer ${API_KEY}`,
      `Bearer ${rotated}`,
    ]);
    expect(requestLines().map((line) => line.secret_read)).toEqual(["fetch", "refresh"]);
  });

  it("answers 502 naming the operator's fix when Apideck rejects a key that did not change", async () => {
    harness.simulator.setApiKey("sk_test_someone_else_entirely");

    const result = await harness.postVaultSessions();

    expect(result.statusCode).toBe(502);
    expect(result.body).toMatchObject({
      type_name: "UpstreamConfigurationError",
      request_id: expect.any(String),
    });
    expect(result.body.message).toMatch(/operator must store a valid key/);
    expect(harness.simulator.requests).toHaveLength(1);
    expect(harness.secretsManager.getSecretValueCalls).toBe(2);
  });
});

// Moving past the key cache's TTL needs the injected clock, so this case runs on lambda/ as source;
// the bundle's one read per instance is counted above and by `npm run bench`.
describe("Integration: key cache TTL (source)", () => {
  it("reads the secret again once the TTL has passed", async () => {
    const harness = await startBrokerHarness({ target: "source" });
    try {
      for (let i = 0; i < 5; i++) expect((await harness.postVaultSessions()).statusCode).toBe(200);
      expect(harness.secretsManager.getSecretValueCalls).toBe(1);

      harness.clock.advance(300_000);
      expect((await harness.postVaultSessions()).statusCode).toBe(200);

      expect(harness.secretsManager.getSecretValueCalls).toBe(2);
      expect(harness.simulator.requests).toHaveLength(6);
      const reads = harness.logs.lines().filter((line) => line.message === "vault session request");
      expect(reads.map((line) => line.secret_read)).toEqual([
        "fetch",
        "cache",
        "cache",
        "cache",
        "cache",
        "fetch",
      ]);
    } finally {
      await harness.close();
      expect(harness.leakedSecrets()).toEqual([]);
    }
  });
});

describe("Integration: secret formats", () => {
  it.each([
    ["a plain string", API_KEY],
    ["JSON with apiKey", JSON.stringify({ apiKey: API_KEY })],
  ])("reads the key from %s", async (_name, secretString) => {
    const harness = await startBrokerHarness({ secretString });
    try {
      expect((await harness.postVaultSessions()).statusCode).toBe(200);
    } finally {
      await harness.close();
    }
  });

  it("answers a generic 500 and logs the cause when the secret is malformed", async () => {
    const harness = await startBrokerHarness({ secretString: JSON.stringify({ key: API_KEY }) });
    try {
      const result = await harness.postVaultSessions();

      expect(result.statusCode).toBe(500);
      expect(result.body.message).toBe(
        "The service is misconfigured; the operator can find the cause in the logs.",
      );
      const line = harness.logs.lines().find((l) => l.message === "vault session request");
      expect(line).toMatchObject({
        level: "ERROR",
        outcome: "internal_error",
        error_name: "InternalError",
        error_class: "SecretFormatError",
        secret_read: "fetch",
      });
    } finally {
      await harness.close();
    }
    expect(harness.leakedSecrets()).toEqual([]);
  });
});
