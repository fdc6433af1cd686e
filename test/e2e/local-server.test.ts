import { Apideck } from "@apideck/unify";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalStack } from "../../infra/local/local-stack.ts";
import { captureLogs, findLeaks, type LogCapture } from "../support/log-capture.ts";

// `npm start`'s server, end to end over HTTP: the local API Gateway, the real handler module
// (configured from the environment as in Lambda), the Apideck simulator and the Secrets Manager
// endpoint reached through AWS_ENDPOINT_URL_SECRETS_MANAGER.

const LOCAL_ENV = [
  "APIDECK_APP_ID",
  "APIDECK_BASE_URL",
  "APIDECK_SECRET_ID",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
];

describe("E2E: local server", () => {
  let stack: LocalStack;
  let logs: LogCapture;
  // vitest's restoreMocks undoes spies before each test, so capture per test and keep the text.
  const logged: string[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    for (const name of LOCAL_ENV) delete process.env[name];
    const { startLocalStack } = await import("../../infra/local/local-stack.ts");
    stack = await startLocalStack();
  });

  beforeEach(() => {
    logs = captureLogs();
  });

  afterEach(() => {
    logged.push(logs.text());
    logs.stop();
  });

  afterAll(async () => {
    await stack.close();
    const text = logged.join("");
    expect(text).toContain('"route":"POST /sessions"');
    expect(findLeaks(text, [...issued, stack.token, "Bearer "])).toEqual([]);
    for (const name of LOCAL_ENV) delete process.env[name];
  });

  const post = (path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
    fetch(`${stack.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });

  it("answers the README's curl with a session URL", async () => {
    const response = await post("/vault/sessions", {
      headers: { "x-apideck-consumer-id": "test-consumer" },
      body: '{"redirect_uri":"https://example.com/done"}',
    });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { session_uri: string; session_token: string } };
    issued.push(body.data.session_uri, body.data.session_token);
    expect(body.data.session_uri).toBe(`${stack.simulator?.url}/session/${body.data.session_token}`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(stack.secretsManager?.getSecretValueCalls).toBe(1);
  });

  it("serves the JWT route to the printed token, with the token's subject as consumer", async () => {
    const response = await post("/sessions", {
      headers: { authorization: `Bearer ${stack.token}` },
      body: "{}",
    });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { session_token: string; session_uri: string } };
    issued.push(body.data.session_uri, body.data.session_token);
    const claims = await stack.simulator?.verifySessionToken(body.data.session_token);
    expect(claims?.consumer_id).toBe("local-consumer");
  });

  it.each([
    ["no token", {}],
    ["a malformed token", { authorization: "Bearer not-a-jwt" }],
    [
      "a token signed by another key",
      { authorization: `Bearer ${"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}` },
    ],
  ])("rejects the JWT route with %s, as API Gateway's authorizer does", async (_name, headers) => {
    const response = await post("/sessions", { headers, body: "{}" });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "Unauthorized" });
  });

  it("rejects an expired token", async () => {
    const expired = await stack.jwt.mint({}, -60);

    const response = await post("/sessions", { headers: { authorization: `Bearer ${expired}` }, body: "{}" });

    expect(response.status).toBe(401);
  });

  it("answers unknown routes with API Gateway's 404", async () => {
    const response = await fetch(`${stack.url}/vault/sessions`);

    expect(response.status).toBe(404);
  });

  it("works with the official Apideck TypeScript SDK by changing only its server URL", async () => {
    const apideck = new Apideck({
      apiKey: "not-used-by-the-broker",
      appId: stack.appId,
      consumerId: "sdk-consumer",
      serverURL: stack.url,
    });

    const result = await apideck.vault.sessions.create({
      session: { redirectUri: "https://example.com/done", settings: { unifiedApis: ["crm"] } },
    });

    const data = result.createSessionResponse?.data;
    issued.push(data?.sessionUri ?? "", data?.sessionToken ?? "");
    expect(data?.sessionUri).toBe(`${stack.simulator?.url}/session/${data?.sessionToken}`);
    const sent = stack.simulator?.requests.at(-1);
    expect(sent?.headers["x-apideck-consumer-id"]).toBe("sdk-consumer");
    // The SDK fills in the spec's defaults for every settings field; they pass through untouched.
    expect(sent?.body).toMatchObject({
      redirect_uri: "https://example.com/done",
      settings: { unified_apis: ["crm"], session_length: "1h" },
    });
    expect(sent?.valid).toBe(true);
  });

  it("gives the SDK a typed 422 it can read when the session is invalid", async () => {
    const apideck = new Apideck({
      apiKey: "x",
      appId: stack.appId,
      consumerId: "sdk-consumer",
      serverURL: stack.url,
    });

    const error = await apideck.vault.sessions
      .create({ session: { redirectUri: "javascript:alert(1)" } })
      .then(
        () => ({}) as { statusCode?: number; message?: string },
        (e: unknown) => e as { statusCode?: number; message?: string },
      );

    expect(error.statusCode).toBe(422);
    expect(error.message).toContain("redirect_uri");
  });
});
