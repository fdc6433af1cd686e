import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import type { BrokerTrace, OpenedSession, SessionBroker, SessionRequest } from "../../lambda/broker.ts";
import { type BrokerConfig, loadConfig } from "../../lambda/config.ts";
import { createHandler } from "../../lambda/create-handler.ts";
import type { CallBudget } from "../../lambda/deadline.ts";
import { SecretAccessError, SecretUnavailableError } from "../../lambda/errors/configuration-errors.ts";
import { UpstreamHttpError, UpstreamTimeoutError } from "../../lambda/errors/upstream-errors.ts";
import { createJsonLogger, type JsonLogger } from "../../lambda/json-logger.ts";
import type { TracedContext } from "../../lambda/request-context.ts";
import { API_KEY, iamEvent, invokeEvent, jwtEvent, testConfig, unsignedJwt } from "./fixtures.ts";

const now = Date.UTC(2025, 10, 22, 13, 0, 0);
const sessionToken = unsignedJwt({ sub: "account:12345", exp: now / 1000 + 1_800 });
const opened: OpenedSession = {
  response: {
    status_code: 200,
    status: "OK",
    data: { session_uri: `https://vault.apideck.com/session/${sessionToken}`, session_token: sessionToken },
  },
  expiresAt: new Date(now + 1_800_000),
};

type HttpResult = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string>; body: string };

/** The handler under test, wired to a stub broker and a logger that records its lines. */
function setup(
  options: { config?: BrokerConfig; openSession?: SessionBroker["openSession"]; logger?: JsonLogger } = {},
) {
  const openSession = vi.fn<SessionBroker["openSession"]>(options.openSession ?? (async () => opened));
  const logger = { addContext: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const handler = createHandler({
    config: options.config ?? testConfig,
    broker: { openSession },
    logger: options.logger ?? (logger as unknown as JsonLogger),
    now: () => now,
  });
  const invoke = (event: unknown, remainingMs = 10_000) => handler(event, lambdaContext(remainingMs));
  const http = async (event: unknown, remainingMs?: number) =>
    (await invoke(event, remainingMs)) as HttpResult;
  return { invoke, http, openSession, logger };
}

/** The handler with the real JSON logger: `lines()` are the lines as written, parsed. */
function setupWithJsonLog(openSession?: SessionBroker["openSession"]) {
  const written: string[] = [];
  const logger = createJsonLogger({
    serviceName: "vault-session-broker",
    level: "INFO",
    env: {},
    write: (line) => written.push(line),
  });
  const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...setup({ logger, ...(openSession ? { openSession } : {}) }), lines };
}

/** A Lambda context as the runtime passes it, with the time left fixed. */
function lambdaContext(remainingMs: number): Context & TracedContext {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "vault-session-broker",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:vault-session-broker",
    memoryLimitInMB: "256",
    awsRequestId: "6f4b3c2a-1d0e-4f9a-8b7c-6d5e4f3a2b1c",
    logGroupName: "/aws/lambda/vault-session-broker",
    logStreamName: "2025/11/22/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as unknown as Context & TracedContext;
}

/** The broker's only call: what it was asked for, with which budget and trace. */
function brokerCall(openSession: ReturnType<typeof setup>["openSession"]) {
  expect(openSession).toHaveBeenCalledTimes(1);
  const [request, budget, trace] = openSession.mock.calls[0] as [SessionRequest, CallBudget, BrokerTrace];
  return { request, budget, trace };
}

/** Invokes directly and returns the error the invoker receives. */
async function invocationError(invoke: (event: unknown) => Promise<unknown>, event: unknown) {
  const error = await invoke(event).then(
    () => undefined,
    (e: unknown) => e as Error & { statusCode?: number },
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { statusCode?: number };
}

describe("Unit: create handler", () => {
  describe("POST /vault/sessions (IAM)", () => {
    it("returns 200 with Apideck's answer and the no-store and expiry headers", async () => {
      // Prepare
      const { http, openSession } = setup();
      const event = iamEvent();

      // Act
      const result = await http(event);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(result.headers).toEqual({
        "content-type": "application/json",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "x-vault-session-expires-at": "2025-11-22T13:30:00.000Z",
      });
      expect(JSON.parse(result.body)).toEqual(opened.response);
      const { request } = brokerCall(openSession);
      expect(request).toEqual({
        consumerId: "account:12345",
        session: JSON.parse(iamEvent().body as string),
      });
    });

    it("gives the broker a budget of the Lambda's remaining time less the reserve, and the request's trace", async () => {
      const { http, openSession } = setup();

      await http(iamEvent(), 10_000);

      const { budget, trace } = brokerCall(openSession);
      expect(budget.deadlineAt).toBe(now + 9_700);
      expect(budget.signal).toBeInstanceOf(AbortSignal);
      expect(budget.signal.aborted).toBe(false);
      expect(trace.upstream).toEqual({ attempts: 0 });
      expect(trace.secretRead).toBeUndefined();
    });

    it("accepts a base64-encoded body", async () => {
      const { http, openSession } = setup();
      const event = iamEvent();
      event.body = Buffer.from(event.body as string).toString("base64");
      event.isBase64Encoded = true;

      expect((await http(event)).statusCode).toBe(200);
      expect(brokerCall(openSession).request.session).toEqual(JSON.parse(iamEvent().body as string));
    });

    it("opens Apideck's empty session when there is no body", async () => {
      const { http, openSession } = setup();
      const event = iamEvent();
      delete event.body;
      delete event.headers["content-type"];

      expect((await http(event)).statusCode).toBe(200);
      expect(brokerCall(openSession).request.session).toEqual({});
    });

    it("accepts x-apideck-app-id naming this service's app", async () => {
      const { http } = setup();
      const event = iamEvent();
      event.headers["x-apideck-app-id"] = testConfig.appId;

      expect((await http(event)).statusCode).toBe(200);
    });

    it("serves the route through the $default route key too", async () => {
      const { http } = setup();
      const event = iamEvent();
      event.routeKey = "$default";

      expect((await http(event)).statusCode).toBe(200);
    });
  });

  describe("POST /sessions (JWT)", () => {
    it("takes the consumer from the sub claim and fills consumer_metadata from email and name", async () => {
      const { http, openSession } = setup();

      const result = await http(jwtEvent());

      expect(result.statusCode).toBe(200);
      expect(brokerCall(openSession).request).toEqual({
        consumerId: "auth0|6560f1a2b3c4d5e6f7a8b9c0",
        session: {
          redirect_uri: "https://app.example.com/integrations",
          settings: { unified_apis: ["crm", "hris"] },
          consumer_metadata: { email: "ada@example.com", user_name: "Ada Lovelace" },
        },
      });
    });

    it("never lets the claims override what the body says", async () => {
      const { http, openSession } = setup();
      const event = jwtEvent();
      event.body = JSON.stringify({
        consumer_metadata: { email: "billing@example.com", account_name: "Acme" },
      });

      await http(event);

      expect(brokerCall(openSession).request.session.consumer_metadata).toEqual({
        email: "billing@example.com",
        user_name: "Ada Lovelace",
        account_name: "Acme",
      });
    });

    it("answers 403 when x-apideck-consumer-id names another consumer", async () => {
      const { http, openSession } = setup();
      const event = jwtEvent();
      event.headers["x-apideck-consumer-id"] = "account:someone-else";

      const result = await http(event);

      expect(result.statusCode).toBe(403);
      expect(JSON.parse(result.body)).toEqual({
        status_code: 403,
        error: "Forbidden",
        type_name: "ForbiddenRequestError",
        message:
          "x-apideck-consumer-id does not match the consumer in the token; omit the header on this route.",
        detail: { field: "x-apideck-consumer-id" },
        request_id: "UxZ3KhMmliAEJ9Q=",
      });
      expect(openSession).not.toHaveBeenCalled();
    });

    it("answers 400 naming the claim when the token has no consumer id", async () => {
      const { http, openSession } = setup();
      const event = jwtEvent();
      delete event.requestContext.authorizer.jwt.claims.sub;

      const result = await http(event);

      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toMatchObject({
        type_name: "MissingConsumerIdError",
        detail: { missing: ["the token's sub claim"] },
      });
      expect(openSession).not.toHaveBeenCalled();
    });
  });

  describe("invalid requests", () => {
    const invalidRequests: Array<[string, () => unknown, number, string]> = [
      [
        "an x-apideck-app-id naming another app (IAM)",
        () => withHeader(iamEvent(), "x-apideck-app-id", "another-app"),
        403,
        "ForbiddenRequestError",
      ],
      [
        "an x-apideck-app-id naming another app (JWT)",
        () => withHeader(jwtEvent(), "x-apideck-app-id", "another-app"),
        403,
        "ForbiddenRequestError",
      ],
      [
        "a missing x-apideck-consumer-id",
        () => {
          const event = iamEvent();
          delete event.headers["x-apideck-consumer-id"];
          return event;
        },
        400,
        "MissingConsumerIdError",
      ],
      [
        "a consumer id with a line break",
        () => withHeader(iamEvent(), "x-apideck-consumer-id", "account:1\r\nx-evil: 1"),
        422,
        "RequestValidationError",
      ],
      ["malformed JSON", () => withBody(iamEvent(), '{"redirect_uri": '), 400, "MalformedJsonError"],
      [
        "a form-encoded body",
        () => withHeader(iamEvent(), "content-type", "application/x-www-form-urlencoded"),
        415,
        "UnsupportedMediaTypeError",
      ],
      [
        "a body over 16 KB",
        () => withBody(iamEvent(), JSON.stringify({ custom_consumer_settings: { pad: "x".repeat(17_000) } })),
        413,
        "PayloadTooLargeError",
      ],
      [
        "an unknown field",
        () => withBody(iamEvent(), JSON.stringify({ settings: { colour: "red" } })),
        422,
        "RequestValidationError",
      ],
      [
        "a javascript: redirect_uri",
        () => withBody(iamEvent(), JSON.stringify({ redirect_uri: "javascript:alert(1)" })),
        422,
        "RequestValidationError",
      ],
      [
        "a session_length of 8d",
        () => withBody(iamEvent(), JSON.stringify({ settings: { session_length: "8d" } })),
        422,
        "RequestValidationError",
      ],
      [
        "an unknown route",
        () => {
          const event = iamEvent();
          event.routeKey = "$default";
          event.rawPath = "/admin";
          event.requestContext.http.path = "/admin";
          return event;
        },
        404,
        "RouteNotFoundError",
      ],
      [
        "a GET on the sessions path",
        () => {
          const event = iamEvent();
          event.routeKey = "GET /vault/sessions";
          event.requestContext.http.method = "GET";
          return event;
        },
        404,
        "RouteNotFoundError",
      ],
    ];

    it.each(invalidRequests)("rejects %s, never calling the broker", async (_, build, status, typeName) => {
      // Prepare
      const { http, openSession } = setup();
      const event = build() as ReturnType<typeof iamEvent>;

      // Act
      const result = await http(event);

      // Assess
      expect(result.statusCode).toBe(status);
      expect(result.headers).toMatchObject({
        "content-type": "application/json",
        "cache-control": "no-store",
      });
      expect(JSON.parse(result.body)).toMatchObject({
        status_code: status,
        type_name: typeName,
        request_id: event.requestContext.requestId,
      });
      expect(openSession).not.toHaveBeenCalled();
    });

    it("names every invalid field in a 422", async () => {
      const { http } = setup();
      const event = withBody(
        iamEvent(),
        JSON.stringify({ redirect_uri: "/relative", consumer_metadata: { email: "nope", avatar: "x" } }),
      );

      const result = await http(event);

      expect(result.statusCode).toBe(422);
      expect(JSON.parse(result.body).detail).toEqual({
        redirect_uri:
          "must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
        "consumer_metadata.email": "must be a valid email",
        "consumer_metadata.avatar": "is not a known field",
      });
    });

    it("applies the operator's policy before calling the broker", async () => {
      const config = loadConfig({
        APIDECK_APP_ID: testConfig.appId,
        APIDECK_SECRET_ID: testConfig.secretId,
        LOCKED_FIELDS: "theme",
      });
      const { http, openSession } = setup({ config });
      const event = withBody(iamEvent(), JSON.stringify({ theme: { vault_name: "Mine" } }));

      const result = await http(event);

      expect(result.statusCode).toBe(403);
      expect(JSON.parse(result.body)).toMatchObject({
        type_name: "ForbiddenRequestError",
        detail: { field: "theme" },
      });
      expect(openSession).not.toHaveBeenCalled();
    });
  });

  describe("broker failures", () => {
    it("answers 429 with Retry-After when Apideck rate limits", async () => {
      const { http } = setup({ openSession: () => Promise.reject(new UpstreamHttpError(429, undefined, 7)) });

      const result = await http(iamEvent());

      expect(result.statusCode).toBe(429);
      expect(result.headers["retry-after"]).toBe("7");
      expect(JSON.parse(result.body)).toMatchObject({ type_name: "TooManyRequestsError" });
    });

    it("answers 503 with Retry-After when Secrets Manager is unavailable", async () => {
      const { http } = setup({
        openSession: () => Promise.reject(new SecretUnavailableError("ThrottlingException")),
      });

      const result = await http(iamEvent());

      expect(result.statusCode).toBe(503);
      expect(result.headers["retry-after"]).toBe("1");
    });

    it("answers 500 without the cause when the secret cannot be read", async () => {
      const cause = new Error(`User: arn:aws:sts::123456789012:assumed-role/x is not authorized ${API_KEY}`);
      const { http } = setup({
        openSession: () => Promise.reject(new SecretAccessError("AccessDeniedException", { cause })),
      });

      const result = await http(iamEvent());

      expect(result.statusCode).toBe(500);
      expect(result.body).not.toContain("AccessDeniedException");
      expect(result.body).not.toContain(API_KEY);
    });

    it("answers 500 Internal error for an unexpected failure, without its message", async () => {
      const { http } = setup({
        openSession: () => Promise.reject(new TypeError(`secret ${API_KEY} in a message`)),
      });

      const result = await http(iamEvent());

      expect(result.statusCode).toBe(500);
      expect(JSON.parse(result.body)).toMatchObject({
        type_name: "InternalError",
        message: "Internal error.",
      });
      expect(result.body).not.toContain(API_KEY);
    });

    it("answers 504 when the broker outlives the Lambda's time, and aborts its budget", async () => {
      // Prepare: 150 ms left, so Middy's backstop fires after 50 ms; the broker never answers
      let budgetSignal: AbortSignal | undefined;
      const { http } = setup({
        openSession: (_request, budget) => {
          budgetSignal = budget.signal;
          return new Promise(() => undefined);
        },
      });

      // Act
      const result = await http(iamEvent(), 150);

      // Assess
      expect(result.statusCode).toBe(504);
      expect(JSON.parse(result.body)).toMatchObject({ type_name: "UpstreamTimeoutError" });
      expect(budgetSignal?.aborted).toBe(true);
    });
  });

  describe("direct invocation", () => {
    it("returns session_uri, session_token and expires_at only", async () => {
      const { invoke, openSession } = setup();

      const result = await invoke(invokeEvent());

      expect(result).toEqual({
        session_uri: opened.response.data.session_uri,
        session_token: sessionToken,
        expires_at: "2025-11-22T13:30:00.000Z",
      });
      expect(brokerCall(openSession).request).toEqual({
        consumerId: "account:12345",
        session: { redirect_uri: "https://app.example.com/done", settings: { session_length: "1h" } },
      });
    });

    it("uses the Lambda's remaining time for the budget", async () => {
      const { invoke, openSession } = setup();

      await invoke(invokeEvent(), 5_000);

      expect(brokerCall(openSession).budget.deadlineAt).toBe(now + 4_700);
    });

    it("throws an error named after the mapped type, with its status and no stack frames", async () => {
      const { invoke, openSession } = setup();
      const event = invokeEvent();
      event.consumer_id = "";

      const error = await invocationError(invoke, event);

      expect(error.name).toBe("MissingConsumerIdError");
      expect(error.message).toBe(
        'A consumer id is required: consumer_id is missing. {"missing":["consumer_id"]}',
      );
      expect(error.statusCode).toBe(400);
      expect(error.stack).toBe(`${error.name}: ${error.message}`);
      expect(error.stack).not.toMatch(/\n\s+at /);
      expect(error.cause).toBeUndefined();
      expect(openSession).not.toHaveBeenCalled();
    });

    it("throws RequestValidationError with the field problems for an invalid session", async () => {
      const { invoke, openSession } = setup();
      const event = invokeEvent();
      event.session = { settings: { session_length: "1w" } };

      const error = await invocationError(invoke, event);

      expect(error.name).toBe("RequestValidationError");
      expect(error.message).toContain('"settings.session_length":"must be a duration like 30m, 1h or 7d"');
      expect(error.statusCode).toBe(422);
      expect(openSession).not.toHaveBeenCalled();
    });

    it.each([
      ["an unknown field", { consumer_id: "account:1", consumerId: "account:1" }],
      ["null", null],
      ["a string", "account:12345"],
    ])("rejects a payload with %s without calling the broker", async (_, event) => {
      const { invoke, openSession } = setup();

      const error = await invocationError(invoke, event);

      expect(error.name).toBe("RequestValidationError");
      expect(openSession).not.toHaveBeenCalled();
    });

    it("throws the upstream type by name, for a Step Functions Catch", async () => {
      const { invoke } = setup({ openSession: () => Promise.reject(new UpstreamTimeoutError()) });

      const error = await invocationError(invoke, invokeEvent());

      expect(error).toMatchObject({ name: "UpstreamTimeoutError", statusCode: 504 });
      expect(error.stack).not.toMatch(/\n\s+at /);
    });
  });

  describe("logging", () => {
    it("writes one info line per successful request, without the session or the credentials", async () => {
      // Prepare
      const { http, logger } = setup({
        openSession: async (_request, _budget, trace) => {
          trace.secretRead = "cache";
          trace.upstream.attempts = 2;
          trace.upstream.status = 200;
          return opened;
        },
      });
      const event = iamEvent();

      // Act
      await http(event);

      // Assess
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.error).not.toHaveBeenCalled();
      const [message, line] = logger.info.mock.calls[0] as [string, Record<string, unknown>];
      expect(message).toBe("vault session request");
      expect(line).toMatchObject({
        route: "POST /vault/sessions",
        request_id: "UxY1-jRYliAEJsw=",
        consumer_id: "account:12345",
        status_code: 200,
        outcome: "ok",
        secret_read: "cache",
        upstream_status: 200,
        upstream_attempts: 2,
      });
      const logged = JSON.stringify([logger.info.mock.calls, logger.addContext.mock.calls]);
      expect(logged).not.toContain(sessionToken);
      expect(logged).not.toContain(event.headers.authorization);
      expect(logged).not.toContain(event.headers["x-amz-security-token"]);
    });

    it("logs a client error at info with its status", async () => {
      const { http, logger } = setup();

      await http(withBody(iamEvent(), "{"));

      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.info.mock.calls[0]?.[1]).toMatchObject({
        status_code: 400,
        outcome: "client_error",
        error_name: "MalformedJsonError",
      });
    });

    it("logs an upstream failure at warn and an internal one at error, naming the cause", async () => {
      const upstream = setup({
        openSession: () => Promise.reject(new UpstreamHttpError(503, undefined, undefined)),
      });
      const internal = setup({
        openSession: () =>
          Promise.reject(
            new SecretAccessError("AccessDeniedException", {
              cause: Object.assign(new Error("denied"), { name: "AccessDeniedException" }),
            }),
          ),
      });

      await upstream.http(iamEvent());
      await internal.http(iamEvent());

      expect(upstream.logger.warn.mock.calls[0]?.[1]).toMatchObject({
        status_code: 502,
        outcome: "upstream_error",
        error_name: "UpstreamError",
        error_class: "UpstreamHttpError",
      });
      expect(internal.logger.error.mock.calls[0]?.[1]).toMatchObject({
        status_code: 500,
        outcome: "internal_error",
        error_name: "InternalError",
        error_class: "SecretAccessError",
        error_cause: "AccessDeniedException: denied",
      });
    });

    it("writes secret_read as the broker recorded it on the request's trace", async () => {
      const { http, lines } = setupWithJsonLog(async (_request, _budget, trace) => {
        trace.secretRead = "fetch";
        trace.upstream.attempts = 1;
        trace.upstream.status = 200;
        return opened;
      });

      await http(iamEvent());

      expect(lines()).toEqual([
        expect.objectContaining({
          level: "INFO",
          message: "vault session request",
          status_code: 200,
          outcome: "ok",
          secret_read: "fetch",
          upstream_attempts: 1,
        }),
      ]);
    });

    it("writes secret_read with the error fields when reading the key failed", async () => {
      const { http, lines } = setupWithJsonLog(async (_request, _budget, trace) => {
        trace.secretRead = "fetch";
        throw new SecretUnavailableError("ThrottlingException");
      });

      const result = await http(iamEvent());

      expect(result.statusCode).toBe(503);
      expect(lines()).toEqual([
        expect.objectContaining({
          level: "WARN",
          status_code: 503,
          outcome: "upstream_error",
          secret_read: "fetch",
          error_name: "SecretUnavailableError",
          error_class: "SecretUnavailableError",
          upstream_attempts: 0,
        }),
      ]);
    });

    it("writes secret_read refresh when the read after a 401 failed", async () => {
      const { http, lines } = setupWithJsonLog(async (_request, _budget, trace) => {
        trace.secretRead = "refresh";
        trace.upstream.attempts = 1;
        trace.upstream.status = 401;
        throw new SecretAccessError("AccessDeniedException");
      });

      await http(iamEvent());

      expect(lines()).toEqual([
        expect.objectContaining({
          level: "ERROR",
          outcome: "internal_error",
          secret_read: "refresh",
          error_name: "InternalError",
          error_class: "SecretAccessError",
          upstream_status: 401,
        }),
      ]);
    });

    it("leaves secret_read out of the line of a request that never read the key (422)", async () => {
      const { http, lines, openSession } = setupWithJsonLog();

      const result = await http(
        withBody(iamEvent(), JSON.stringify({ redirect_uri: "javascript:alert(1)" })),
      );

      expect(result.statusCode).toBe(422);
      expect(openSession).not.toHaveBeenCalled();
      const [line] = lines();
      expect(line).toMatchObject({ status_code: 422, error_name: "RequestValidationError" });
      expect(line).not.toHaveProperty("secret_read");
    });

    it("logs a direct invocation under the Lambda request id", async () => {
      const { invoke, logger } = setup();

      await invoke(invokeEvent());

      expect(logger.info.mock.calls[0]?.[1]).toMatchObject({
        route: "invoke",
        request_id: "6f4b3c2a-1d0e-4f9a-8b7c-6d5e4f3a2b1c",
      });
    });
  });
});

function withHeader<T extends { headers: Record<string, string | undefined> }>(
  event: T,
  name: string,
  value: string,
): T {
  event.headers[name] = value;
  return event;
}

function withBody<T extends { body?: string }>(event: T, body: string): T {
  event.body = body;
  return event;
}

describe("Unit: create handler: regressions", () => {
  // Guards: a direct invocation without consumer_id is a 400, not a 500 (unit-test review).
  it("throws MissingConsumerIdError (400) to a direct invoker that sends no consumer_id", async () => {
    const config = loadConfig({ APIDECK_APP_ID: "app-1", APIDECK_SECRET_ID: "s" });
    const logger = { addContext: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() } as never;
    const handler = createHandler({ config, logger, broker: { openSession: vi.fn() } });

    const error = await handler({ session: {} }, {
      awsRequestId: "r",
      getRemainingTimeInMillis: () => 10_000,
    } as never).catch((e) => e);

    expect(error).toMatchObject({ name: "MissingConsumerIdError", statusCode: 400 });
  });
});
