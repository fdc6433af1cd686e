import { execFile } from "node:child_process";
import { request as httpRequest } from "node:http";
import { promisify } from "node:util";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { AwsClient } from "aws4fetch";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CORS_ALLOW_HEADERS, CORS_MAX_AGE_SECONDS } from "../../infra/cors-settings.ts";
import { createDevJwtIssuer, type DevJwtIssuer } from "../../infra/local/dev-jwt.ts";
import { iamRoute, jwtRoute } from "../../infra/local/gateway-routes.ts";
import { generateCredentials } from "../../infra/local/local-credentials.ts";
import { startLocalGateway } from "../../infra/local/local-gateway.ts";
import type { LoopbackServer } from "../../infra/local/loopback-server.ts";
import { createSigV4Verifier } from "../../infra/local/sigv4-verifier.ts";
import { captureLogs, type LogCapture } from "../support/log-capture.ts";

// The local API Gateway with a stand-in function that records what reaches it: the SigV4 route
// against real signers (aws4fetch, curl --aws-sigv4), the JWT route, CORS, and its own refusals.

const run = promisify(execFile);
const REGION = "eu-central-1";
const APP_ORIGIN = "http://localhost:5173";
const caller = generateCredentials();

describe("Local: gateway", () => {
  let gateway: LoopbackServer;
  let jwt: DevJwtIssuer;
  let logs: LogCapture;
  const invoked: APIGatewayProxyEventV2[] = [];
  const aws = new AwsClient({ ...caller, service: "execute-api", region: REGION });

  beforeAll(async () => {
    jwt = await createDevJwtIssuer();
    const verifier = createSigV4Verifier({ service: "execute-api", region: REGION, credentials: [caller] });
    gateway = await startLocalGateway({
      routes: [iamRoute("/vault/sessions", verifier), jwtRoute("/sessions", jwt)],
      corsOrigins: [APP_ORIGIN],
      region: REGION,
      handler: async (event) => {
        invoked.push(event as APIGatewayProxyEventV2);
        return {
          statusCode: 200,
          // A function's own CORS header, which API Gateway drops once CORS is configured.
          headers: {
            "content-type": "application/json",
            "access-control-allow-origin": "*",
            "x-vault-session-expires-at": "2026-01-01T00:00:00.000Z",
          },
          body: '{"ok":true}',
        };
      },
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  beforeEach(() => {
    invoked.length = 0;
    logs = captureLogs();
  });

  const sessionsUrl = () => `${gateway.url}/vault/sessions`;
  const body = '{"redirect_uri":"https://example.com/done"}';
  const refusals = () => logs.lines().filter((line) => line.source === "local-gateway");

  describe("IAM route", () => {
    it("invokes the function for a request signed by aws4fetch, with the signer in the iam context", async () => {
      const response = await aws.fetch(sessionsUrl(), {
        method: "POST",
        headers: { "content-type": "application/json", "x-apideck-consumer-id": "tenant:1" },
        body,
      });

      expect(response.status).toBe(200);
      expect(invoked).toHaveLength(1);
      expect(invoked[0]?.requestContext).toMatchObject({
        routeKey: "POST /vault/sessions",
        authorizer: { iam: { accessKey: caller.accessKeyId, accountId: "000000000000" } },
      });
      expect(invoked[0]?.body).toBe(body);
    });

    it("invokes the function for curl --aws-sigv4, as the README and npm start print it", async () => {
      const { stdout } = await run("curl", [
        "-s",
        "-w",
        "\n%{http_code}",
        "-X",
        "POST",
        sessionsUrl(),
        "--aws-sigv4",
        `aws:amz:${REGION}:execute-api`,
        "--user",
        `${caller.accessKeyId}:${caller.secretAccessKey}`,
        "-H",
        "x-apideck-consumer-id: tenant:1",
        "-H",
        "content-type: application/json",
        "-d",
        body,
      ]);

      expect(stdout.split("\n").at(-1)).toBe("200");
      expect(invoked).toHaveLength(1);
    });

    it("answers the same curl without --aws-sigv4 with 403 Forbidden, before the function", async () => {
      const { stdout } = await run("curl", [
        "-s",
        "-w",
        "\n%{http_code}",
        "-X",
        "POST",
        sessionsUrl(),
        "-H",
        "x-apideck-consumer-id: tenant:1",
        "-H",
        "content-type: application/json",
        "-d",
        body,
      ]);

      expect(stdout.split("\n")).toEqual(['{"message":"Forbidden"}', "403"]);
      expect(invoked).toEqual([]);
      expect(refusals()).toEqual([
        expect.objectContaining({ status: 403, reason: "SigV4: missing", route: "POST /vault/sessions" }),
      ]);
    });

    it("answers curl signing for another region with 403 naming the scope", async () => {
      const { stdout } = await run("curl", [
        "-s",
        "-X",
        "POST",
        sessionsUrl(),
        "--aws-sigv4",
        "aws:amz:us-east-1:execute-api",
        "--user",
        `${caller.accessKeyId}:${caller.secretAccessKey}`,
        "-H",
        "content-type: application/json",
        "-d",
        "{}",
      ]);

      expect(JSON.parse(stdout)).toEqual({
        message: "Credential should be scoped to a valid region, not 'us-east-1'.",
      });
      expect(invoked).toEqual([]);
    });

    it.each([
      [
        "a wrong secret",
        new AwsClient({ ...caller, secretAccessKey: "guessed", service: "execute-api", region: REGION }),
        /^The request signature we calculated does not match/,
      ],
      [
        "unknown credentials",
        new AwsClient({ ...generateCredentials(), service: "execute-api", region: REGION }),
        /^The security token included in the request is invalid\.$/,
      ],
    ])("refuses %s with 403 and API Gateway's message, logging no secret", async (_name, client, message) => {
      const response = await client.fetch(sessionsUrl(), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
      expect(invoked).toEqual([]);
      expect(refusals()).toHaveLength(1);
      expect(logs.text()).not.toMatch(/Signature=|[0-9a-f]{64}|guessed/);
      expect(logs.text()).not.toContain(caller.secretAccessKey);
    });

    it("refuses a signature more than five minutes old", async () => {
      const old = new Date(Date.now() - 6 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, "");
      const signed = await aws.sign(sessionsUrl(), { method: "POST", body, aws: { datetime: old } });

      const response = await fetch(signed);

      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(/^Signature expired: /);
      expect(invoked).toEqual([]);
    });

    it("refuses a body swapped after signing", async () => {
      const signed = await aws.sign(sessionsUrl(), { method: "POST", body });

      const response = await fetch(new Request(signed, { body: '{"redirect_uri":"https://evil.example/"}' }));

      expect(response.status).toBe(403);
      expect(invoked).toEqual([]);
    });
  });

  describe("JWT route", () => {
    it("hands the verified claims to the function", async () => {
      const token = await jwt.mint({ sub: "user-1" });

      const response = await fetch(`${gateway.url}/sessions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "{}",
      });

      expect(response.status).toBe(200);
      expect(invoked[0]?.requestContext).toMatchObject({
        authorizer: { jwt: { claims: { sub: "user-1" } } },
      });
    });

    it("answers a missing token with 401 Unauthorized", async () => {
      const response = await fetch(`${gateway.url}/sessions`, { method: "POST", body: "{}" });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized" });
      expect(invoked).toEqual([]);
    });
  });

  describe("CORS", () => {
    const preflight = (headers: Record<string, string>, path = "/sessions") =>
      fetch(`${gateway.url}${path}`, {
        method: "OPTIONS",
        headers: { "access-control-request-method": "POST", ...headers },
      });

    it("answers an allowed origin's preflight itself, before authorization, with the shared settings", async () => {
      const response = await preflight({
        origin: APP_ORIGIN,
        "access-control-request-headers": "authorization,content-type,x-apideck-app-id",
      });

      expect(response.status).toBe(204);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        "access-control-allow-origin": APP_ORIGIN,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": CORS_ALLOW_HEADERS.join(","),
        "access-control-max-age": String(CORS_MAX_AGE_SECONDS),
      });
      expect(invoked).toEqual([]);
    });

    it.each([
      ["another origin", { origin: "https://evil.example" }],
      ["a method the API does not allow", { origin: APP_ORIGIN, "access-control-request-method": "DELETE" }],
      [
        "a header the API does not allow",
        { origin: APP_ORIGIN, "access-control-request-headers": "content-type,x-admin" },
      ],
    ])("refuses a preflight from %s with 403 JSON and no CORS headers", async (_name, headers) => {
      const response = await preflight(headers);

      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(/^CORS preflight refused: /);
      expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
      expect(refusals()).toEqual([expect.objectContaining({ status: 403, reason: expect.any(String) })]);
    });

    it("adds the origin and the exposed expiry header to an allowed origin's actual request, dropping the function's own", async () => {
      const token = await jwt.mint();

      const response = await fetch(`${gateway.url}/sessions`, {
        method: "POST",
        headers: { origin: APP_ORIGIN, authorization: `Bearer ${token}` },
        body: "{}",
      });

      expect(response.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
      expect(response.headers.get("access-control-expose-headers")).toBe("x-vault-session-expires-at");
      expect(response.headers.get("vary")).toContain("origin");
    });

    it("adds the CORS headers to the gateway's own 401, so the page can read it", async () => {
      const response = await fetch(`${gateway.url}/sessions`, {
        method: "POST",
        headers: { origin: APP_ORIGIN },
        body: "{}",
      });

      expect(response.status).toBe(401);
      expect(response.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    });

    it("gives another origin's actual request no CORS headers at all", async () => {
      const token = await jwt.mint();

      const response = await fetch(`${gateway.url}/sessions`, {
        method: "POST",
        headers: { origin: "https://evil.example", authorization: `Bearer ${token}` },
        body: "{}",
      });

      expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    });
  });

  describe("its own answers", () => {
    it("answers an unknown route with 404 Not Found and logs it", async () => {
      const response = await fetch(`${gateway.url}/vault/sessions`);

      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Not Found" });
      expect(refusals()).toEqual([expect.objectContaining({ status: 404, route: "GET /vault/sessions" })]);
    });

    it("answers a Host that is not loopback with 403 and does no work (DNS rebinding)", async () => {
      const { status, body: text } = await rawRequest(gateway.url, "rebind.evil.example", "/vault/sessions");

      expect(status).toBe(403);
      expect(JSON.parse(text).message).toMatch(/only Host 127\.0\.0\.1, localhost or \[::1\]/);
      expect(invoked).toEqual([]);
      expect(logs.lines()).toEqual([
        expect.objectContaining({ source: "loopback-server", host: "rebind.evil.example" }),
      ]);
    });
  });
});

/** A raw HTTP request with a chosen Host header, which fetch does not allow to set. */
function rawRequest(base: string, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { method: "POST", headers: { host } }, (response) => {
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
