import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSessionLength } from "../../infra/local/apideck-session-token.ts";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import { validateCreateSessionResponse, validateVaultSchema } from "../../infra/local/vault-contract.ts";

const apiKey = "sk_live_simulated";
const appId = "app-123";
const fixedNow = Date.UTC(2025, 0, 1, 12, 0, 0);

const validHeaders = {
  authorization: `Bearer ${apiKey}`,
  "x-apideck-app-id": appId,
  "x-apideck-consumer-id": "consumer-1",
  "content-type": "application/json",
};

let simulator: ApideckSimulator;

beforeEach(async () => {
  simulator = await startApideckSimulator({ apiKey, appId, now: () => fixedNow });
});

afterEach(async () => {
  await simulator.close();
});

/** Posts to the simulator's sessions route; `body` is JSON-encoded unless it is already a string. */
function post(options: { headers?: Record<string, string>; body?: unknown; path?: string } = {}) {
  const { headers = validHeaders, body, path = "/vault/sessions" } = options;
  return fetch(`${simulator.url}${path}`, {
    method: "POST",
    headers,
    ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/** The fields these tests read, on success or error bodies; the contract tests check the real shapes. */
type AnswerBody = {
  data: { session_uri: string; session_token: string };
  status_code: number;
  type_name: string;
  detail: string;
};

function readJson(response: Response): Promise<AnswerBody> {
  return response.json() as Promise<AnswerBody>;
}

function without(name: string): Record<string, string> {
  const { [name]: _, ...rest } = validHeaders as Record<string, string>;
  return rest;
}

describe("Local: Apideck simulator", () => {
  describe("POST /vault/sessions", () => {
    it("returns a session that matches the spec's CreateSessionResponse", async () => {
      const response = await post({ body: { redirect_uri: "https://example.com/back" } });
      const body = await readJson(response);

      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(validateCreateSessionResponse(body)).toEqual({ valid: true, errors: [] });
      expect(body.data.session_uri).toBe(`${simulator.url}/session/${body.data.session_token}`);
    });

    it("points session_uri at the configured Hosted Vault", async () => {
      const other = await startApideckSimulator({
        apiKey,
        appId,
        hostedVaultUrl: "https://vault.apideck.com",
      });
      try {
        const response = await fetch(`${other.url}/vault/sessions`, {
          method: "POST",
          headers: validHeaders,
        });
        const body = await readJson(response);

        expect(body.data.session_uri).toBe(`https://vault.apideck.com/session/${body.data.session_token}`);
      } finally {
        await other.close();
      }
    });

    it("signs an HS256 token with the consumer, the application and a one-hour default lifetime", async () => {
      const body = await readJson(await post());
      const token: string = body.data.session_token;

      const claims = await simulator.verifySessionToken(token);
      expect(claims).toMatchObject({
        consumer_id: "consumer-1",
        application_id: appId,
        iat: fixedNow / 1000,
      });
      expect(claims.exp).toBe(fixedNow / 1000 + 3600);
      expect(JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString())).toMatchObject({
        alg: "HS256",
      });
    });

    it("carries the Session fields that Hosted Vault and vault-js read, as the request sent them", async () => {
      const session = {
        consumer_metadata: {
          account_name: "Acme",
          user_name: "Ada",
          email: "ada@acme.test",
          image: "https://i.test/a.png",
        },
        redirect_uri: "https://app.example.com/back",
        settings: { unified_apis: ["crm", "accounting"], sandbox_mode: true, session_length: "30m" },
        theme: { vault_name: "Acme", primary_color: "#ff6600", logo: "https://cdn.example.com/logo.svg" },
      };

      const body = await readJson(await post({ body: session }));
      const claims = await simulator.verifySessionToken(body.data.session_token);

      expect(claims).toEqual({
        consumer_id: "consumer-1",
        application_id: appId,
        ...session,
        iat: fixedNow / 1000,
        exp: fixedNow / 1000 + 1800,
      });
    });

    it("puts empty consumer_metadata, settings and theme, and no redirect_uri, in a token for an empty body", async () => {
      const body = await readJson(await post({ headers: without("content-type") }));
      const claims = decodeJwt(body.data.session_token);

      expect(claims).toEqual({
        consumer_id: "consumer-1",
        application_id: appId,
        consumer_metadata: {},
        settings: {},
        theme: {},
        iat: fixedNow / 1000,
        exp: fixedNow / 1000 + 3600,
      });
    });

    it("honours settings.session_length in the token's exp", async () => {
      const body = await readJson(await post({ body: { settings: { session_length: "30m" } } }));

      expect(decodeJwt(body.data.session_token).exp).toBe(fixedNow / 1000 + 1800);
    });

    it("rejects a token signed by another simulator", async () => {
      const other = await startApideckSimulator({ apiKey, appId, now: () => fixedNow });
      try {
        const body = await readJson(
          await fetch(`${other.url}/vault/sessions`, { method: "POST", headers: validHeaders }),
        );
        await expect(simulator.verifySessionToken(body.data.session_token)).rejects.toThrow(/signature/);
      } finally {
        await other.close();
      }
    });

    it("accepts a request without a body, since the spec's requestBody is optional", async () => {
      const response = await post({ headers: without("content-type") });

      expect(response.status).toBe(200);
      expect(simulator.requests[0]).toMatchObject({ body: undefined, valid: true });
    });

    it("records method, path, lower-cased headers, parsed body and validity", async () => {
      await post({
        path: "/vault/sessions?raw=false",
        body: { consumer_metadata: { account_name: "SpaceX" } },
      });
      await post({ headers: without("authorization") });

      expect(simulator.requests).toHaveLength(2);
      expect(simulator.requests[0]).toMatchObject({
        method: "POST",
        path: "/vault/sessions?raw=false",
        headers: { "x-apideck-consumer-id": "consumer-1", authorization: `Bearer ${apiKey}` },
        body: { consumer_metadata: { account_name: "SpaceX" } },
        valid: true,
        receivedAt: fixedNow,
      });
      expect(simulator.requests[1]?.valid).toBe(false);
    });
  });

  describe("request checks", () => {
    it("returns 401 when the Authorization header is missing", async () => {
      const response = await post({ headers: without("authorization") });
      const body = await readJson(response);

      expect(response.status).toBe(401);
      expect(body).toMatchObject({
        status_code: 401,
        error: "Unauthorized",
        type_name: "UnauthorizedError",
        message: "Unauthorized Request",
        detail: "Missing authentication",
      });
      expect(validateVaultSchema("UnauthorizedResponse", body).valid).toBe(true);
    });

    it("returns 401 when the API key is wrong or not a Bearer token", async () => {
      const wrong = await post({ headers: { ...validHeaders, authorization: "Bearer sk_other" } });
      const basic = await post({ headers: { ...validHeaders, authorization: apiKey } });

      expect([wrong.status, basic.status]).toEqual([401, 401]);
      expect((await readJson(wrong)).detail).toBe("Invalid API key");
    });

    it("accepts only the new key after setApiKey, and the initial one again after reset", async () => {
      simulator.setApiKey("sk_rotated");
      const old = await post();
      const rotated = await post({ headers: { ...validHeaders, authorization: "Bearer sk_rotated" } });
      simulator.reset();
      const restored = await post();

      expect([old.status, rotated.status, restored.status]).toEqual([401, 200, 200]);
    });

    it("returns 400 RequestHeadersValidationError when x-apideck-app-id is missing", async () => {
      const response = await post({ headers: without("x-apideck-app-id") });
      const body = await readJson(response);

      expect(response.status).toBe(400);
      expect(body).toMatchObject({
        type_name: "RequestHeadersValidationError",
        detail: "Missing Header: x-apideck-app-id",
      });
      expect(validateVaultSchema("BadRequestResponse", body).valid).toBe(true);
    });

    it("returns 404 NotFound when x-apideck-app-id names another application", async () => {
      const response = await post({ headers: { ...validHeaders, "x-apideck-app-id": "someone-else" } });
      const body = await readJson(response);

      expect(response.status).toBe(404);
      expect(body).toMatchObject({
        type_name: "EntityNotFoundError",
        detail: "Could not find application with id: 'someone-else'",
      });
      expect(validateVaultSchema("NotFoundResponse", body).valid).toBe(true);
    });

    it("returns 400 when x-apideck-consumer-id is missing or empty", async () => {
      const missing = await post({ headers: without("x-apideck-consumer-id") });
      const empty = await post({ headers: { ...validHeaders, "x-apideck-consumer-id": "" } });

      expect([missing.status, empty.status]).toEqual([400, 400]);
      expect((await readJson(missing)).detail).toBe("Missing Header: x-apideck-consumer-id");
      expect((await readJson(empty)).type_name).toBe("RequestHeadersValidationError");
    });

    it("returns 422 when a body is sent without a JSON content type", async () => {
      const response = await post({ headers: { ...validHeaders, "content-type": "text/plain" }, body: "{}" });
      const body = await readJson(response);

      expect(response.status).toBe(422);
      expect(validateVaultSchema("UnprocessableResponse", body).valid).toBe(true);
    });

    it("returns 400 when the body is not JSON, and records the raw text", async () => {
      const response = await post({ body: "{not json" });

      expect(response.status).toBe(400);
      expect((await readJson(response)).detail).toBe("Request body is not valid JSON");
      expect(simulator.requests[0]).toMatchObject({ body: "{not json", valid: false });
    });

    it("returns 400 RequestValidationError listing every violation of the Session schema", async () => {
      const response = await post({
        body: { consumer_id: "x", settings: { unified_apis: ["crm", "nope"] } },
      });
      const body = await readJson(response);

      expect(response.status).toBe(400);
      expect(body).toMatchObject({ type_name: "RequestValidationError", message: "Invalid Params" });
      expect(body.detail).toContain("body must NOT have additional property 'consumer_id'");
      expect(body.detail).toContain("body.settings.unified_apis[1] must be one of");
      expect(validateVaultSchema("BadRequestResponse", body).valid).toBe(true);
    });

    it("returns 400 when settings.session_length is malformed or longer than a week", async () => {
      const malformed = await post({ body: { settings: { session_length: "soon" } } });
      const tooLong = await post({ body: { settings: { session_length: "8d" } } });

      expect([malformed.status, tooLong.status]).toEqual([400, 400]);
      expect((await readJson(tooLong)).detail).toContain("session_length '8d'");
    });

    it("returns 404 JSON for another path and 405 with Allow for another method", async () => {
      const otherPath = await post({ path: "/vault/consumers" });
      const otherMethod = await fetch(`${simulator.url}/vault/sessions`, { headers: validHeaders });

      expect(otherPath.status).toBe(404);
      expect((await readJson(otherPath)).status_code).toBe(404);
      expect(otherMethod.status).toBe(405);
      expect(otherMethod.headers.get("allow")).toBe("POST");
      expect((await readJson(otherMethod)).status_code).toBe(405);
    });
  });

  describe("faults", () => {
    it("plays queued faults first in first out, one per request, and records them", async () => {
      simulator.inject({ kind: "status", status: 503 }, { kind: "status", status: 402 });

      const statuses = [(await post()).status, (await post()).status, (await post()).status];

      expect(statuses).toEqual([503, 402, 200]);
      expect(simulator.requests.map((request) => request.fault?.kind)).toEqual([
        "status",
        "status",
        undefined,
      ]);
      expect(simulator.requests.every((request) => request.valid)).toBe(true);
    });

    it("answers a status fault with an Apideck-shaped body and Retry-After", async () => {
      simulator.inject({ kind: "status", status: 429, retryAfter: "2" }, { kind: "status", status: 402 });

      const limited = await post();
      const payment = await post();

      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect(await readJson(limited)).toMatchObject({ status_code: 429, error: "Too Many Requests" });
      const paymentBody = await readJson(payment);
      expect(paymentBody).toMatchObject({ type_name: "RequestLimitError" });
      expect(validateVaultSchema("PaymentRequiredResponse", paymentBody).valid).toBe(true);
    });

    it("answers a status fault with the given body", async () => {
      simulator.inject({ kind: "status", status: 500, body: { message: "boom" } });

      const response = await post();

      expect(response.status).toBe(500);
      expect(await readJson(response)).toEqual({ message: "boom" });
    });

    it("delays the normal answer on a hang fault", async () => {
      simulator.inject({ kind: "hang", ms: 60 });
      const started = performance.now();

      const response = await post();

      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    });

    it("stops hanging when the client gives up, and keeps serving", async () => {
      simulator.inject({ kind: "hang", ms: 10_000 });

      const abandoned = fetch(`${simulator.url}/vault/sessions`, {
        method: "POST",
        headers: validHeaders,
        signal: AbortSignal.timeout(50),
      });

      await expect(abandoned).rejects.toThrow(/abort|timeout/i);
      expect((await post()).status).toBe(200);
      expect(simulator.requests).toHaveLength(2);
    });

    it("releases a hung connection on close()", async () => {
      simulator.inject({ kind: "hang", ms: 10_000 });
      const pending = post();
      await waitFor(() => simulator.requests.length === 1);
      const started = performance.now();

      await simulator.close();

      await expect(pending).rejects.toThrow(TypeError);
      expect(performance.now() - started).toBeLessThan(500);
    });

    it("destroys the socket before answering on a reset before-response fault", async () => {
      simulator.inject({ kind: "reset", when: "before-response" });

      await expect(post()).rejects.toThrow(TypeError);
      expect(simulator.requests).toHaveLength(1);
    });

    it("cuts the body short on a reset mid-body fault", async () => {
      simulator.inject({ kind: "reset", when: "mid-body" });

      const response = await post();

      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow(TypeError);
    });

    it("answers an HTML error page on an html fault", async () => {
      simulator.inject({ kind: "html", status: 502 });

      const response = await post();

      expect(response.status).toBe(502);
      expect(response.headers.get("content-type")).toBe("text/html");
      expect(await response.text()).toContain("<h1>502 Bad Gateway</h1>");
    });

    it("answers arbitrary JSON on a json fault, such as a 200 without session_uri", async () => {
      simulator.inject({ kind: "json", status: 200, body: { status_code: 200, status: "OK", data: {} } });

      const body = await readJson(await post());

      expect(validateCreateSessionResponse(body).errors).toContain(
        "body.data must have required property 'session_uri'",
      );
    });

    it("serves a raw fault's bytes with its headers as they are, precompressed body included", async () => {
      const body = gzipSync(Buffer.from('{"status_code":200}'));
      simulator.inject({
        kind: "raw",
        status: 200,
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        body,
      });

      const response = await post();

      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect(response.headers.get("content-length")).toBeNull();
      expect(response.headers.get("transfer-encoding")).toBe("chunked");
      expect(await response.json()).toEqual({ status_code: 200 });
    });

    it("writes the normal answer a few bytes at a time on a trickle fault", async () => {
      simulator.inject({ kind: "trickle", chunkDelayMs: 1 });
      const response = await post();
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const chunks: Uint8Array[] = [];

      for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);

      expect(chunks.length).toBeGreaterThan(10);
      const body = JSON.parse(Buffer.concat(chunks).toString());
      expect(validateCreateSessionResponse(body).valid).toBe(true);
    });

    it("plays the rate fault on the share of requests the random source picks", async () => {
      const rolls = [0.05, 0.5, 0.09, 0.95];
      const random = await startApideckSimulator({ apiKey, appId, random: () => rolls.shift() ?? 1 });
      try {
        random.setFaultRate(0.1, { kind: "status", status: 503 });
        const send = () => fetch(`${random.url}/vault/sessions`, { method: "POST", headers: validHeaders });

        const statuses = [
          (await send()).status,
          (await send()).status,
          (await send()).status,
          (await send()).status,
        ];

        expect(statuses).toEqual([503, 200, 503, 200]);
      } finally {
        await random.close();
      }
    });

    it("prefers queued faults over the rate fault, and drops both on reset", async () => {
      simulator.setFaultRate(1, { kind: "status", status: 503 });
      simulator.inject({ kind: "html", status: 504 });

      const first = await post();
      const second = await post();
      simulator.reset();
      const third = await post();

      expect([first.status, second.status, third.status]).toEqual([504, 503, 200]);
      expect(simulator.requests).toHaveLength(1);
    });

    it("refuses a fault rate outside 0 to 1", () => {
      expect(() => simulator.setFaultRate(1.5, { kind: "status", status: 500 })).toThrow(RangeError);
      expect(() => simulator.setFaultRate(Number.NaN, { kind: "status", status: 500 })).toThrow(RangeError);
    });
  });

  describe("parseSessionLength", () => {
    it("parses seconds, minutes, hours, days and weeks", () => {
      expect(["45s", "30m", "1h", "7d", "1w"].map(parseSessionLength)).toEqual([
        45, 1800, 3600, 604_800, 604_800,
      ]);
    });

    it("returns undefined for zero, more than a week, or an unknown format", () => {
      expect(["0m", "8d", "2w", "1y", "h", "", "1.5h"].map(parseSessionLength)).toEqual(
        Array(7).fill(undefined),
      );
    });
  });

  describe("server", () => {
    it("listens on the requested port of 127.0.0.1", async () => {
      const port = await freePort();
      const pinned = await startApideckSimulator({ apiKey, appId, port });
      try {
        expect(pinned.url).toBe(`http://127.0.0.1:${port}`);
        expect(
          (await fetch(`${pinned.url}/vault/sessions`, { method: "POST", headers: validHeaders })).status,
        ).toBe(200);
      } finally {
        await pinned.close();
      }
    });

    it("closes promptly with an idle keep-alive connection open", async () => {
      await (await post()).text();
      const started = performance.now();

      await simulator.close();

      expect(performance.now() - started).toBeLessThan(500);
    });
  });
});

/** Finds a port that is free right now, by binding and releasing it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Polls `condition` every few milliseconds, for at most one second. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error("condition not met within 1s");
}
