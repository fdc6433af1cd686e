import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import type { OpenedSession, SessionBroker, SessionRequest } from "../../lambda/broker.ts";
import { type BrokerConfig, loadConfig } from "../../lambda/config.ts";
import { createHandler } from "../../lambda/create-handler.ts";
import type { JsonLogger } from "../../lambda/json-logger.ts";
import type { TracedContext } from "../../lambda/request-context.ts";
import brokerKeyCreateSession from "../events/http-api/broker-key-create-session.json" with { type: "json" };
import { testConfig, unsignedJwt } from "./fixtures.ts";

const now = Date.UTC(2026, 10, 22, 13, 0, 0);
const token = unsignedJwt({ sub: "tenant-a:42", exp: now / 1000 + 1_800 });
const opened: OpenedSession = {
  response: {
    status_code: 200,
    status: "OK",
    data: { session_uri: `https://vault.apideck.com/session/${token}`, session_token: token },
  },
  expiresAt: new Date(now + 1_800_000),
};

/** `POST /sdk/vault/sessions` as the function receives it, the key's context and body replaced. */
function keyEvent(context: Record<string, string>, body: unknown = {}, consumerId = "tenant-a:42") {
  const event = structuredClone(brokerKeyCreateSession) as unknown as {
    headers: Record<string, string>;
    body: string;
    requestContext: { authorizer: { lambda: Record<string, string> } };
  };
  Object.assign(event.requestContext.authorizer.lambda, context);
  event.headers["x-apideck-app-id"] = testConfig.appId;
  event.headers["x-apideck-consumer-id"] = consumerId;
  event.body = JSON.stringify(body);
  return event;
}

function setup(config: BrokerConfig = testConfig) {
  const openSession = vi.fn<SessionBroker["openSession"]>(async () => opened);
  const logger = { addContext: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const handler = createHandler({
    config,
    broker: { openSession },
    logger: logger as unknown as JsonLogger,
    now: () => now,
  });
  const context = {
    awsRequestId: "6f4b3c2a-1d0e-4f9a-8b7c-6d5e4f3a2b1c",
    functionName: "vault-session-broker",
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context & TracedContext;
  const http = async (event: unknown) => {
    const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2 & { body: string };
    return { statusCode: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
  };
  const sent = () => (openSession.mock.calls[0] as [SessionRequest] | undefined)?.[0];
  return { http, openSession, logger, sent };
}

describe("Unit: POST /sdk/vault/sessions (broker keys)", () => {
  it("opens a session for a consumer in the key's scope, with the IAM route's answer", async () => {
    const { http, sent } = setup();

    const result = await http(
      keyEvent({ consumerScope: "tenant-a:*" }, { redirect_uri: "https://a.example/x" }),
    );

    expect(result).toMatchObject({ statusCode: 200, body: { status_code: 200, data: opened.response.data } });
    expect(sent()).toEqual({ consumerId: "tenant-a:42", session: { redirect_uri: "https://a.example/x" } });
  });

  it("answers 403 naming x-apideck-consumer-id for a consumer outside the scope, before any Apideck call", async () => {
    const { http, openSession } = setup();

    const result = await http(keyEvent({ consumerScope: "tenant-a:*" }, {}, "tenant-b:1"));

    expect(result).toMatchObject({
      statusCode: 403,
      body: { type_name: "ForbiddenRequestError", detail: { field: "x-apideck-consumer-id" } },
    });
    expect(openSession).not.toHaveBeenCalled();
  });

  it("sends only the key's APIs and at most its session length when the caller asks for nothing", async () => {
    const { http, sent } = setup();

    await http(keyEvent({ allowedUnifiedApis: "crm", maxSessionLength: "30m" }));

    expect(sent()?.session.settings).toEqual({ unified_apis: ["crm"], session_length: "30m" });
  });

  it.each([
    ["an API the key does not allow", { settings: { unified_apis: ["hris"] } }, "settings.unified_apis"],
    [
      "a session longer than the key allows",
      { settings: { session_length: "1h" } },
      "settings.session_length",
    ],
  ])("answers 403 for %s", async (_name, body, field) => {
    const { http, openSession } = setup();

    const result = await http(keyEvent({ allowedUnifiedApis: "crm", maxSessionLength: "30m" }, body));

    expect(result).toMatchObject({ statusCode: 403, body: { detail: { field } } });
    expect(openSession).not.toHaveBeenCalled();
  });

  it("never widens the operator's policy: the key's extra APIs and longer sessions do not count", async () => {
    const config = loadConfig({
      APIDECK_APP_ID: testConfig.appId,
      APIDECK_SECRET_ID: "vault-session-broker/apideck-api-key",
      ALLOWED_UNIFIED_APIS: "crm",
      MAX_SESSION_LENGTH: "15m",
    });
    const { http, sent } = setup(config);
    const context = { allowedUnifiedApis: "crm,hris", maxSessionLength: "7d" };

    const asked = await http(keyEvent(context, { settings: { unified_apis: ["hris"] } }));
    await http(keyEvent(context));

    expect(asked).toMatchObject({ statusCode: 403, body: { detail: { field: "settings.unified_apis" } } });
    expect(sent()?.session.settings).toEqual({ unified_apis: ["crm"], session_length: "15m" });
  });

  it("applies the operator's consumer rule on top of the key's scope", async () => {
    const config = loadConfig({
      APIDECK_APP_ID: testConfig.appId,
      APIDECK_SECRET_ID: "vault-session-broker/apideck-api-key",
      CONSUMER_ID_SCOPE: "tenant-b:*",
    });
    const { http, openSession } = setup(config);

    const result = await http(keyEvent({ consumerScope: "*" }));

    expect(result.statusCode).toBe(403);
    expect(openSession).not.toHaveBeenCalled();
  });

  it("logs the key's id and name with the route and consumer, never the Authorization header", async () => {
    const { http, logger } = setup();
    const event = keyEvent({ consumerScope: "tenant-a:*" });

    await http(event);

    expect(logger.info.mock.calls[0]?.[1]).toMatchObject({
      route: "POST /sdk/vault/sessions",
      consumer_id: "tenant-a:42",
      key_id: "abcdefgh2345",
      key_name: "acme-heroku-prod",
      outcome: "ok",
    });
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(event.headers.authorization);
  });
});
