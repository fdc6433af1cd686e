import { request as httpRequest } from "node:http";
import { AwsClient, AwsV4Signer } from "aws4fetch";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalStack } from "../../infra/local/local-stack.ts";
import { loadBundleHandler } from "../support/handler-bundle.ts";
import { captureLogs, findLeaks, type LogCapture } from "../support/log-capture.ts";

// A few adversarial cases over real HTTP, through `npm start`'s server: the local API Gateway
// (SigV4 and dev-JWT verification, header joining, its own size limit) in front of the real handler
// module, configured from the environment with an operator policy, as in Lambda.

const LOCAL_ENV = [
  "APIDECK_APP_ID",
  "APIDECK_BASE_URL",
  "APIDECK_SECRET_ID",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
];
const POLICY_ENV = {
  LOCKED_FIELDS: "theme,settings.sandbox_mode",
  CONSUMER_ID_SCOPE: "local-*,tenant:*",
  MAX_SESSION_LENGTH: "30m",
};

describe("Adversarial: local server", () => {
  let stack: LocalStack;
  let logs: LogCapture;
  const issued: string[] = [];

  beforeAll(async () => {
    for (const name of LOCAL_ENV) delete process.env[name];
    Object.assign(process.env, POLICY_ENV);
    const startup = captureLogs();
    const { startLocalStack } = await import("../../infra/local/local-stack.ts");
    // The deployment bundle behind the local gateway: what ships is what these requests reach.
    stack = await startLocalStack({ loadHandler: loadBundleHandler });
    startup.stop();
  });

  // vitest's restoreMocks ends a capture after each test, so each test gets its own.
  beforeEach(() => {
    logs = captureLogs();
  });

  afterEach(() => {
    logs.stop();
    // The local API key is random, but always starts with sk_local_.
    expect(
      findLeaks(logs.text(), [
        ...issued,
        stack.token,
        "Bearer ",
        "sk_local_",
        stack.credentials.secretAccessKey,
      ]),
    ).toEqual([]);
  });

  afterAll(async () => {
    await stack.close();
    for (const name of [...LOCAL_ENV, ...Object.keys(POLICY_ENV), "ALLOW_HTTP_LOOPBACK_REDIRECTS"])
      delete process.env[name];
  });

  // The IAM route is signed for execute-api with the stack's caller credentials, as a backend would.
  const signedFetch = (url: string, init: RequestInit) =>
    new AwsClient({ ...stack.credentials, service: "execute-api", region: stack.region, retries: 0 }).fetch(
      url,
      init,
    );
  const post = async (path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const send = path.startsWith("/vault/") ? signedFetch : fetch;
    const response = await send(`${stack.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const json = (await response.json()) as Record<string, unknown> & {
      data?: { session_uri: string; session_token: string };
    };
    if (json.data) issued.push(json.data.session_uri, json.data.session_token);
    return { status: response.status, json };
  };
  const iam = (body: unknown, headers: Record<string, string> = {}) =>
    post("/vault/sessions", {
      headers: { "x-apideck-consumer-id": "tenant:1", ...headers },
      body: JSON.stringify(body),
    });
  const jwt = (body: unknown, headers: Record<string, string> = {}, query = "") =>
    post(`/sessions${query}`, {
      headers: { authorization: `Bearer ${stack.token}`, ...headers },
      body: JSON.stringify(body),
    });
  const lastConsumer = () => stack.simulator?.requests.at(-1)?.headers["x-apideck-consumer-id"];
  const sentCount = () => stack.simulator?.requests.length ?? 0;

  it("refuses a body over 16 KB with the handler's 413", async () => {
    const before = sentCount();

    const { status, json } = await iam({ custom_consumer_settings: { pad: "a".repeat(16_384) } });

    expect(status).toBe(413);
    expect(json.type_name).toBe("PayloadTooLargeError");
    expect(sentCount()).toBe(before);
  });

  it("refuses a body over API Gateway's 10 MB with the gateway's own 413, without calling the function", async () => {
    const response = await signedFetch(`${stack.url}/vault/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-apideck-consumer-id": "tenant:1" },
      body: `{"pad":"${"a".repeat(10 * 1024 * 1024)}"}`,
    }).catch((error: unknown) => error as Error);

    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(413);
    expect(await (response as Response).json()).toEqual({ message: "Request Entity Too Large" });
    // Only the gateway's own line: the function never ran.
    expect(logs.lines()).toEqual([expect.objectContaining({ source: "local-gateway", status: 413 })]);
  });

  it.each([
    ["a javascript: URL", "javascript:alert(1)"],
    ["userinfo naming the good host", "https://app.example.com@evil.example/"],
    ["plain http to a non-loopback host", "http://evil.example/"],
    ["a loopback look-alike", "http://localhost.evil.example/"],
  ])("refuses %s as redirect_uri with 422", async (_name, redirectUri) => {
    const { status, json } = await iam({ redirect_uri: redirectUri });

    expect(status).toBe(422);
    expect(json.detail).toHaveProperty(["redirect_uri"]);
  });

  it("accepts an http loopback redirect, which only the local runner allows", async () => {
    const { status } = await iam({ redirect_uri: "http://localhost:5173/callback" });

    expect(status).toBe(200);
  });

  it.each([
    [{ theme: { vault_name: "Evil" } }, "theme"],
    [{ settings: { sandbox_mode: false } }, "settings.sandbox_mode"],
    [{ settings: { session_length: "2h" } }, "settings.session_length"],
  ])("refuses %j with 403 naming %s", async (body, field) => {
    const { status, json } = await iam(body);

    expect(status).toBe(403);
    expect(json.detail).toEqual({ field });
  });

  it("sends 30m upstream when the caller leaves session_length out", async () => {
    await iam({});

    expect(stack.simulator?.requests.at(-1)?.body).toEqual({ settings: { session_length: "30m" } });
  });

  it("refuses a consumer id outside CONSUMER_ID_SCOPE on the IAM route", async () => {
    const { status, json } = await iam({}, { "x-apideck-consumer-id": "Tenant 1" });

    expect(status).toBe(403);
    expect(json.detail).toEqual({ field: "x-apideck-consumer-id" });
  });

  it("refuses a repeated x-apideck-consumer-id header with 400 naming it, though both ids are in scope", async () => {
    const before = sentCount();

    // SigV4 covers a repeated header as its values joined by commas.
    const { headers: signed } = await new AwsV4Signer({
      method: "POST",
      url: `${stack.url}/vault/sessions`,
      headers: { "content-type": "application/json", "x-apideck-consumer-id": "tenant:1,tenant:2" },
      body: "{}",
      ...stack.credentials,
      service: "execute-api",
      region: stack.region,
    }).sign();

    const { status, body } = await rawPost(`${stack.url}/vault/sessions`, [
      ["authorization", signed.get("authorization") ?? ""],
      ["x-amz-date", signed.get("x-amz-date") ?? ""],
      ["content-type", "application/json"],
      ["x-apideck-consumer-id", "tenant:1"],
      ["x-apideck-consumer-id", "tenant:2"],
    ]);

    expect(status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({
      type_name: "RepeatedHeaderError",
      detail: { header: "x-apideck-consumer-id" },
    });
    expect(sentCount()).toBe(before);
  });

  it("refuses a repeated x-apideck-consumer-id header on the JWT route even if one copy matches the token", async () => {
    const { status } = await rawPost(`${stack.url}/sessions`, [
      ["authorization", `Bearer ${stack.token}`],
      ["content-type", "application/json"],
      ["x-apideck-consumer-id", "local-consumer"],
      ["x-apideck-consumer-id", "someone-else"],
    ]);

    expect(status).toBe(400);
  });

  it("refuses an x-apideck-consumer-id naming someone else on the JWT route", async () => {
    const { status, json } = await jwt({}, { "x-apideck-consumer-id": "someone-else" });

    expect(status).toBe(403);
    expect(json.detail).toEqual({ field: "x-apideck-consumer-id" });
  });

  it("refuses consumer_id in the JWT route's body as an unknown field", async () => {
    const { status, json } = await jwt({ consumer_id: "someone-else" });

    expect(status).toBe(422);
    expect(json.detail).toEqual({ consumer_id: "is not a known field" });
  });

  it("ignores consumer_id in the JWT route's query string", async () => {
    const { status } = await jwt({}, {}, "?consumer_id=someone-else&x-apideck-consumer-id=someone-else");

    expect(status).toBe(200);
    expect(lastConsumer()).toBe("local-consumer");
  });

  it("applies CONSUMER_ID_SCOPE to the token's subject on the JWT route too", async () => {
    const token = await stack.jwt.mint({ sub: "Auth0|User 42" });
    const before = sentCount();

    const { status } = await post("/sessions", { headers: { authorization: `Bearer ${token}` }, body: "{}" });

    expect(status).toBe(403);
    expect(sentCount()).toBe(before);
  });

  it("cannot carry CR or LF in a header: fetch refuses before anything is sent", async () => {
    const before = sentCount();

    const sending = post("/vault/sessions", {
      headers: { "x-apideck-consumer-id": "tenant:1\r\nx-apideck-app-id: other" },
      body: "{}",
    });

    await expect(sending).rejects.toThrow(TypeError);
    expect(sentCount()).toBe(before);
  });
});

/** POSTs `{}` with raw header lines, so a header can be repeated on the wire. */
function rawPost(url: string, headers: [string, string][]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // With raw header lines Node adds no Host header, which HTTP/1.1 requires.
    const raw = [["host", new URL(url).host], ...headers].flat();
    const request = httpRequest(url, { method: "POST", headers: raw }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end("{}");
  });
}
