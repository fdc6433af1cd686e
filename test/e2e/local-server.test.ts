import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Apideck, HTTPClient } from "@apideck/unify";
import { AwsClient } from "aws4fetch";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalStack } from "../../infra/local/local-stack.ts";
import { loadBundleHandler } from "../support/handler-bundle.ts";
import { captureLogs, findLeaks, type LogCapture } from "../support/log-capture.ts";

// `npm start`'s server, end to end over HTTP: the local API Gateway (SigV4 on the IAM route, dev
// JWTs on the other), the real handler module (configured from the environment as in Lambda), the
// Apideck simulator and the Secrets Manager endpoint reached through AWS_ENDPOINT_URL_SECRETS_MANAGER
// with the function's own credentials. The IAM route is called by the clients the README shows:
// curl --aws-sigv4, aws4fetch, and the official Apideck SDK with a signing HTTP client.

const run = promisify(execFile);

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
    // The deployment bundle behind the local gateway: what ships is what these requests reach.
    stack = await startLocalStack({ loadHandler: loadBundleHandler });
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
    expect(
      findLeaks(text, [
        ...issued,
        stack.token,
        "Bearer ",
        stack.credentials.secretAccessKey,
        stack.secretsManager?.credentials.secretAccessKey,
      ]),
    ).toEqual([]);
    for (const name of LOCAL_ENV) delete process.env[name];
  });

  const post = (path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
    fetch(`${stack.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });

  /** A Node backend's client: aws4fetch signing for execute-api, no retries of its own. */
  const backend = () =>
    new AwsClient({ ...stack.credentials, service: "execute-api", region: stack.region, retries: 0 });

  it("answers a request signed by aws4fetch with a session URL", async () => {
    const response = await backend().fetch(`${stack.url}/vault/sessions`, {
      method: "POST",
      headers: { "x-apideck-consumer-id": "test-consumer", "content-type": "application/json" },
      body: '{"redirect_uri":"https://example.com/done"}',
    });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { session_uri: string; session_token: string } };
    issued.push(body.data.session_uri, body.data.session_token);
    expect(body.data.session_uri).toBe(`${stack.simulator?.url}/session/${body.data.session_token}`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    // The function read the key once, signing with its own credentials (not the caller's).
    expect(stack.secretsManager?.calls.map((call) => call.accessKeyId)).toEqual([
      stack.secretsManager?.credentials.accessKeyId,
    ]);
    expect(stack.secretsManager?.credentials.accessKeyId).not.toBe(stack.credentials.accessKeyId);
  });

  it("answers curl --aws-sigv4 with a session, and the same curl unsigned with 403", async () => {
    const { accessKeyId, secretAccessKey } = stack.credentials;
    const request = [
      "-s",
      "-X",
      "POST",
      `${stack.url}/vault/sessions`,
      "-H",
      "x-apideck-consumer-id: test-consumer",
      "-H",
      "content-type: application/json",
      "-d",
      '{"redirect_uri":"https://example.com/done"}',
    ];

    const signed = await run("curl", [
      ...request,
      "--aws-sigv4",
      `aws:amz:${stack.region}:execute-api`,
      "--user",
      `${accessKeyId}:${secretAccessKey}`,
    ]);
    const unsigned = await run("curl", [...request, "-w", "\n%{http_code}"]);

    const session = JSON.parse(signed.stdout) as { data: { session_uri: string; session_token: string } };
    issued.push(session.data.session_uri, session.data.session_token);
    expect(session.data.session_uri).toBe(`${stack.simulator?.url}/session/${session.data.session_token}`);
    expect(unsigned.stdout.split("\n")).toEqual(['{"message":"Forbidden"}', "403"]);
  });

  it("answers an unsigned request with API Gateway's 403 before the function runs", async () => {
    const sent = stack.simulator?.requests.length;

    const response = await post("/vault/sessions", {
      headers: { "x-apideck-consumer-id": "test-consumer" },
      body: "{}",
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: "Forbidden" });
    expect(stack.simulator?.requests.length).toBe(sent);
    expect(logs.lines()).toEqual([expect.objectContaining({ source: "local-gateway", status: 403 })]);
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

  /** The README's recipe: the official SDK with a SigV4-signing HTTP client and the broker's URL. */
  const signingSdk = (consumerId: string) => {
    const aws = backend();
    const httpClient = new HTTPClient();
    // The SDK sets `authorization: Bearer <apiKey>`; the SigV4 signature replaces it.
    httpClient.addHook("beforeRequest", (request) => aws.sign(request));
    return new Apideck({
      apiKey: "unused",
      appId: stack.appId,
      consumerId,
      serverURL: stack.url,
      httpClient,
    });
  };

  it("works with the official Apideck TypeScript SDK given the broker's URL and a signing HTTP client", async () => {
    const apideck = signingSdk("sdk-consumer");

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

  it("refuses the SDK without a signing HTTP client with 403", async () => {
    const apideck = new Apideck({
      apiKey: "x",
      appId: stack.appId,
      consumerId: "sdk-consumer",
      serverURL: stack.url,
    });

    const error = await apideck.vault.sessions
      .create({ session: {} })
      .catch((e: unknown) => e as { httpMeta?: { response: Response } });

    // Its `authorization: Bearer <apiKey>` is no SigV4 signature: API Gateway refuses it.
    expect(error.httpMeta?.response.status).toBe(403);
  });

  it("gives the SDK a typed 422 it can read when the session is invalid", async () => {
    const apideck = signingSdk("sdk-consumer");

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
