import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createApideckClient,
  type UpstreamTrace,
  type VaultSessionCall,
} from "../../../lambda/apideck/client.ts";
import { MAX_RESPONSE_BYTES } from "../../../lambda/apideck/response.ts";
import type { ApideckTransport, TransportResponse } from "../../../lambda/apideck/transport.ts";
import type { CallBudget } from "../../../lambda/deadline.ts";
import {
  UpstreamHttpError,
  UpstreamInvalidResponseError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
} from "../../../lambda/errors/upstream-errors.ts";
import { API_KEY } from "../fixtures.ts";

const baseUrl = "https://unify.apideck.com";
const call: VaultSessionCall = {
  apiKey: API_KEY,
  appId: "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX",
  consumerId: "account:12345",
  session: { redirect_uri: "https://mysaas.com/dashboard", settings: { session_length: "30m" } },
};
const sessionBody = {
  status_code: 200,
  status: "OK",
  data: { session_uri: "https://vault.apideck.com/session/eyJ.abc.def", session_token: "eyJ.abc.def" },
};

type Answer = Response | Error | ((init: RequestInit) => Promise<Response>);

/** A `Response` as the transport answers: its body as a Node stream. */
function fromResponse(response: Response): TransportResponse {
  const body = response.body === null ? null : Readable.fromWeb(response.body as WebReadableStream);
  return { status: response.status, headers: response.headers, body };
}

/** JSON response with the given status and headers. */
function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * A transport that answers with these responses (or rejections) in order, each a fresh object: a
 * `Response` has the transport's answer shape. The real transport is tested on loopback sockets in
 * transport.test.ts and below; these cases drive the retry and timing logic with fake timers.
 */
function fakeFetch(...answers: Array<() => Answer>) {
  const fetchFn = vi.fn<ApideckTransport>();
  for (const answer of answers) {
    fetchFn.mockImplementationOnce(async (_url, init) => {
      const value = answer();
      if (value instanceof Error) throw value;
      if (typeof value === "function") return fromResponse(await value(init as RequestInit));
      return fromResponse(value);
    });
  }
  return fetchFn;
}

/** A transport answer that never settles until the request's signal aborts. */
const hang = () => (init: RequestInit) =>
  new Promise<Response>((_, reject) => {
    init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });

function budget(ms = 10_000, signal = new AbortController().signal): CallBudget {
  return { signal, deadlineAt: Date.now() + ms };
}

const newTrace = (): UpstreamTrace => ({ attempts: 0 });

describe("Unit: Apideck client", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("posts the session to /vault/sessions with Apideck's headers", async () => {
    // Prepare
    const fetchFn = fakeFetch(() => json(200, sessionBody));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    // Act
    const response = await client.createSession(call, budget(), newTrace());

    // Assess
    expect(response).toEqual(sessionBody);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("https://unify.apideck.com/vault/sessions");
    expect(init.method).toBe("POST");
    expect(init.headers).toEqual({
      accept: "application/json",
      authorization: `Bearer ${API_KEY}`,
      "content-type": "application/json",
      "x-apideck-app-id": call.appId,
      "x-apideck-consumer-id": call.consumerId,
    });
    expect(JSON.parse(init.body as string)).toEqual(call.session);
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it("drops fields the contract does not name, such as _raw", async () => {
    const fetchFn = fakeFetch(() => json(200, { ...sessionBody, _raw: { upstream: true } }));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    expect(await client.createSession(call, budget(), newTrace())).toEqual(sessionBody);
  });

  it("retries a 503 and returns the session that follows", async () => {
    const fetchFn = fakeFetch(
      () => json(503, { message: "Service Unavailable" }),
      () => json(200, sessionBody),
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });
    const trace = newTrace();

    expect(await client.createSession(call, budget(), trace)).toEqual(sessionBody);
    expect(fetchFn).toHaveBeenCalledTimes(2);
    expect(trace).toMatchObject({ attempts: 2, status: 200 });
  });

  it("sends the same request on every attempt", async () => {
    const fetchFn = fakeFetch(
      () => json(502, {}),
      () => json(200, sessionBody),
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });

    await client.createSession(call, budget(), newTrace());

    const [first, second] = fetchFn.mock.calls as [string, RequestInit][];
    expect(second?.[0]).toBe(first?.[0]);
    expect(second?.[1].headers).toEqual(first?.[1].headers);
    expect(second?.[1].body).toBe(first?.[1].body);
  });

  it("gives up after three attempts and throws the last status", async () => {
    const fetchFn = fakeFetch(
      () => json(503, {}),
      () => json(500, {}),
      () => json(504, { message: "Gateway Timeout" }),
      () => json(200, sessionBody),
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });
    const trace = newTrace();

    const error = await client.createSession(call, budget(), trace).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error).toMatchObject({ status: 504, body: { message: "Gateway Timeout" } });
    expect(fetchFn).toHaveBeenCalledTimes(3);
    expect(trace).toMatchObject({ attempts: 3, status: 504 });
  });

  it.each([400, 401, 402, 403, 404, 409, 422])("does not retry a %i", async (status) => {
    const fetchFn = fakeFetch(
      () => json(status, { type_name: "SomeError", message: "Nope" }),
      () => json(200, sessionBody),
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });
    const trace = newTrace();

    const error = await client.createSession(call, budget(), trace).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect((error as UpstreamHttpError).status).toBe(status);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(trace).toMatchObject({ attempts: 1, status });
  });

  it("does not follow a redirect, and does not retry it", async () => {
    const fetchFn = fakeFetch(
      () => new Response(null, { status: 302, headers: { location: "https://evil.example/" } }),
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });

    await expect(client.createSession(call, budget(), newTrace())).rejects.toMatchObject({ status: 302 });
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it("keeps Apideck's error fields on the error", async () => {
    const apideckError = {
      status_code: 400,
      error: "Bad Request",
      type_name: "RequestValidationError",
      message: "Invalid Params",
      detail: { missing: [{ "x-apideck-consumer-id": "required" }] },
      ref: "https://developers.apideck.com/errors#requestvalidationerror",
    };
    const fetchFn = fakeFetch(() => json(400, apideckError));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    const error = (await client
      .createSession(call, budget(), newTrace())
      .catch((e: unknown) => e)) as UpstreamHttpError;

    expect(error.body).toEqual({
      type_name: "RequestValidationError",
      message: "Invalid Params",
      detail: apideckError.detail,
    });
  });

  it.each([
    ["an HTML page", () => new Response("<html>Bad Gateway</html>", { status: 400 })],
    ["no body", () => new Response(null, { status: 400 })],
  ])("leaves the error body undefined for %s", async (_, answer) => {
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fakeFetch(answer) });

    const error = (await client
      .createSession(call, budget(), newTrace())
      .catch((e: unknown) => e)) as UpstreamHttpError;

    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error.body).toBeUndefined();
  });

  it("drops error fields of the wrong type and scrubs the call's API key from the rest", async () => {
    const answer = () =>
      json(422, { type_name: "Not A Name!", message: `key ${API_KEY} refused`, detail: 42 });
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fakeFetch(answer) });

    const error = (await client
      .createSession(call, budget(), newTrace())
      .catch((e: unknown) => e)) as UpstreamHttpError;

    expect(error.body).toEqual({ type_name: undefined, message: "key [redacted] refused", detail: 42 });
  });

  it("waits for Retry-After before retrying a 429", async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_763_816_400_000, toFake: ["setTimeout", "clearTimeout", "Date"] });
    const fetchFn = fakeFetch(
      () => json(429, { message: "Too Many Requests" }, { "retry-after": "2" }),
      () => json(200, sessionBody),
    );
    const random = vi.fn(() => 0);
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn, random });

    // Act
    const result = client.createSession(call, budget(10_000), newTrace());
    await vi.advanceTimersByTimeAsync(1_999);

    // Assess
    expect(fetchFn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual(sessionBody);
    expect(fetchFn).toHaveBeenCalledTimes(2);
    expect(random).not.toHaveBeenCalled();
  });

  it("backs off by the injected jitter without a Retry-After", async () => {
    vi.useFakeTimers({ now: 1_763_816_400_000, toFake: ["setTimeout", "clearTimeout", "Date"] });
    const fetchFn = fakeFetch(
      () => json(503, {}),
      () => json(200, sessionBody),
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0.5,
    });

    const result = client.createSession(call, budget(10_000), newTrace());
    await vi.advanceTimersByTimeAsync(99);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);

    await expect(result).resolves.toEqual(sessionBody);
    expect(fetchFn).toHaveBeenCalledTimes(2);
  });

  it("does not retry when Retry-After reaches past the deadline", async () => {
    const fetchFn = fakeFetch(
      () => json(429, {}, { "retry-after": "30" }),
      () => json(200, sessionBody),
    );
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    const error = await client.createSession(call, budget(10_000), newTrace()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it("reads an HTTP-date Retry-After against the injected clock", async () => {
    const now = Date.UTC(2025, 10, 22, 13, 0, 0);
    const fetchFn = fakeFetch(() => json(429, {}, { "retry-after": "Sat, 22 Nov 2025 13:01:00 GMT" }));
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      now: () => now,
    });

    const error = await client
      .createSession(call, { signal: new AbortController().signal, deadlineAt: now + 10_000 }, newTrace())
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 60 });
  });

  it("stops waiting and throws UpstreamTimeoutError when the request is aborted during the backoff", async () => {
    const controller = new AbortController();
    const fetchFn = fakeFetch(() => {
      setTimeout(() => controller.abort(), 5);
      return json(503, {}, { "retry-after": "5" });
    });
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });
    const startedAt = Date.now();

    await expect(
      client.createSession(call, budget(10_000, controller.signal), newTrace()),
    ).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it("retries a network failure and keeps the cause when it persists", async () => {
    const cause = new TypeError("fetch failed");
    const fetchFn = fakeFetch(
      () => cause,
      () => cause,
      () => cause,
    );
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });
    const trace = newTrace();

    const error = await client.createSession(call, budget(), trace).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect((error as Error).cause).toBe(cause);
    expect(trace.attempts).toBe(3);
    expect(trace.status).toBeUndefined();
  });

  it("retries an attempt that timed out", async () => {
    const fetchFn = fakeFetch(hang, () => json(200, sessionBody));
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 20,
      transport: fetchFn,
      random: () => 0,
    });
    const trace = newTrace();

    expect(await client.createSession(call, budget(), trace)).toEqual(sessionBody);
    expect(trace.attempts).toBe(2);
    const [, firstInit] = fetchFn.mock.calls[0] as [string, RequestInit];
    expect(firstInit.signal?.reason).toMatchObject({ name: "TimeoutError" });
  });

  it("throws UpstreamTimeoutError without retrying when the request's deadline aborts an attempt", async () => {
    const controller = new AbortController();
    const fetchFn = fakeFetch(() => (init) => {
      setTimeout(() => controller.abort(), 5);
      return hang()(init);
    });
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      random: () => 0,
    });

    const error = await client
      .createSession(call, budget(10_000, controller.signal), newTrace())
      .catch((e) => e);

    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect((error as Error).cause).toMatchObject({ name: "AbortError" });
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it("does not call Apideck at all when the deadline has passed", async () => {
    const fetchFn = fakeFetch(() => json(200, sessionBody));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });
    const trace = newTrace();

    await expect(client.createSession(call, budget(0), trace)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(fetchFn).not.toHaveBeenCalled();
    expect(trace.attempts).toBe(0);
  });

  it("does not call Apideck at all when the signal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const fetchFn = fakeFetch(() => json(200, sessionBody));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    await expect(
      client.createSession(call, budget(10_000, controller.signal), newTrace()),
    ).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it("bounds an attempt by the time left when that is less than the attempt timeout", async () => {
    const fetchFn = fakeFetch(hang);
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });
    const startedAt = Date.now();

    await expect(client.createSession(call, budget(30), newTrace())).rejects.toBeInstanceOf(
      UpstreamTimeoutError,
    );
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      "a body that is not JSON",
      () => new Response("<html>OK</html>", { status: 200 }),
      "the body is not JSON",
    ],
    ["an empty body", () => new Response(null, { status: 200 }), "the body is not JSON"],
    [
      "a body without session_token",
      () => json(200, { ...sessionBody, data: { session_uri: sessionBody.data.session_uri } }),
      "invalid data.session_token",
    ],
    [
      "a javascript: session_uri",
      () => json(200, { ...sessionBody, data: { ...sessionBody.data, session_uri: "javascript:alert(1)" } }),
      "invalid data.session_uri",
    ],
    [
      "a body without status",
      () => json(200, { status_code: 200, data: sessionBody.data }),
      "invalid status",
    ],
    ["an array", () => json(200, [sessionBody]), "invalid (body)"],
  ])(
    "throws UpstreamInvalidResponseError, without retrying, for a 200 with %s",
    async (_, answer, reason) => {
      const fetchFn = fakeFetch(answer, () => json(200, sessionBody));
      const client = createApideckClient({
        baseUrl,
        attemptTimeoutMs: 5_000,
        transport: fetchFn,
        random: () => 0,
      });
      const trace = newTrace();

      const error = await client.createSession(call, budget(), trace).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(UpstreamInvalidResponseError);
      expect((error as Error).message).toBe(`Apideck's answer was not a valid session: ${reason}.`);
      expect(fetchFn).toHaveBeenCalledTimes(1);
      expect(trace).toMatchObject({ attempts: 1, status: 200 });
    },
  );

  it("refuses a body larger than 64 KB", async () => {
    const huge = JSON.stringify({ ...sessionBody, padding: "x".repeat(MAX_RESPONSE_BYTES) });
    const fetchFn = fakeFetch(() => new Response(huge, { status: 200 }));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    const error = await client.createSession(call, budget(), newTrace()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamInvalidResponseError);
    expect((error as Error).message).toContain(`larger than ${MAX_RESPONSE_BYTES} bytes`);
  });

  it("stops reading a streamed body as soon as it passes the limit", async () => {
    // Prepare: an endless stream of 16 KB chunks
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const fetchFn = fakeFetch(() => new Response(endless, { status: 200 }));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    // Act
    const error = await client.createSession(call, budget(), newTrace()).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(UpstreamInvalidResponseError);
    expect(pulled).toBeLessThan(10);
  });

  it("accepts a body exactly at the limit", async () => {
    const base = JSON.stringify({ ...sessionBody, padding: "" });
    const exact = JSON.stringify({ ...sessionBody, padding: "x".repeat(MAX_RESPONSE_BYTES - base.length) });
    const fetchFn = fakeFetch(() => new Response(exact, { status: 200 }));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    expect(Buffer.byteLength(exact)).toBe(MAX_RESPONSE_BYTES);
    await expect(client.createSession(call, budget(), newTrace())).resolves.toEqual(sessionBody);
  });

  it("records the attempt latency with the injected clock", async () => {
    let clock = 1_763_816_400_000;
    const fetchFn = fakeFetch(() => {
      clock += 42;
      return json(200, sessionBody);
    });
    const client = createApideckClient({
      baseUrl,
      attemptTimeoutMs: 5_000,
      transport: fetchFn,
      now: () => clock,
    });
    const trace = newTrace();

    await client.createSession(
      call,
      { signal: new AbortController().signal, deadlineAt: clock + 10_000 },
      trace,
    );

    expect(trace).toEqual({ attempts: 1, status: 200, latencyMs: 42 });
  });

  it("never puts the API key in an error message", async () => {
    const fetchFn = fakeFetch(() => json(401, { message: "Unauthorized" }));
    const client = createApideckClient({ baseUrl, attemptTimeoutMs: 5_000, transport: fetchFn });

    const error = (await client.createSession(call, budget(), newTrace()).catch((e: unknown) => e)) as Error;

    expect(error.message).toBe("Apideck answered 401.");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(API_KEY);
  });
});

describe("Unit: Apideck client: default transport on a loopback socket", () => {
  it("maps a refused connection to UpstreamNetworkError that keeps the system error code", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = createApideckClient({
      baseUrl: `http://127.0.0.1:${port}`,
      attemptTimeoutMs: 1_000,
      random: () => 0,
    });
    const trace = newTrace();

    const error = await client.createSession(call, budget(), trace).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect((error as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(trace.attempts).toBe(3);
  });

  it("posts to a real server and returns the validated session", async () => {
    let seen: { url?: string; auth?: string; body?: string } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        seen = { url: req.url, auth: req.headers.authorization, body: Buffer.concat(chunks).toString() };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(sessionBody));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = createApideckClient({ baseUrl: `http://127.0.0.1:${port}`, attemptTimeoutMs: 5_000 });

      expect(await client.createSession(call, budget(), newTrace())).toEqual(sessionBody);
      expect(seen).toEqual({
        url: "/vault/sessions",
        auth: `Bearer ${API_KEY}`,
        body: JSON.stringify(call.session),
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("Unit: Apideck client: regressions", () => {
  // Guards: an oversized 503 error page is still retried (unit-test review).
  it("retries a 503 whose error page is larger than the response limit", async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(fromResponse(new Response("x".repeat(70_000), { status: 503 })))
      .mockResolvedValueOnce(
        fromResponse(
          Response.json({
            status_code: 200,
            status: "OK",
            data: { session_uri: "https://v.example/s", session_token: "t" },
          }),
        ),
      );
    const client = createApideckClient({
      baseUrl: "https://u.example",
      attemptTimeoutMs: 1000,
      transport: fetch,
      random: () => 0,
    });
    const trace = { attempts: 0 };

    const result = await client.createSession(
      { apiKey: "k", appId: "a", consumerId: "c", session: {} },
      { signal: new AbortController().signal, deadlineAt: Date.now() + 5000 },
      trace,
    );

    expect(result.data.session_token).toBe("t");
    expect(trace.attempts).toBe(2);
  });

  // Guards: a 200 declaring a body over the limit is refused unread (unit-test review).
  it("refuses a 200 that declares a body over the limit, without reading it", async () => {
    const big = new Response("x".repeat(100), { status: 200, headers: { "content-length": String(70_000) } });
    const fetch = vi.fn().mockResolvedValueOnce(fromResponse(big));
    const client = createApideckClient({
      baseUrl: "https://u.example",
      attemptTimeoutMs: 1000,
      transport: fetch,
    });

    const error = await client
      .createSession(
        { apiKey: "k", appId: "a", consumerId: "c", session: {} },
        { signal: new AbortController().signal, deadlineAt: Date.now() + 5000 },
        { attempts: 0 },
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "UpstreamInvalidResponseError" });
  });
});
