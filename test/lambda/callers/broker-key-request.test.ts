import { describe, expect, it } from "vitest";
import { sessionRequestFromBrokerKey } from "../../../lambda/callers/broker-key-request.ts";
import type { ParsedHttpEvent } from "../../../lambda/callers/http-request.ts";
import {
  ForbiddenRequestError,
  MissingConsumerIdError,
  SessionValidationError,
} from "../../../lambda/errors/request-errors.ts";
import brokerKeyCreateSession from "../../events/http-api/broker-key-create-session.json" with {
  type: "json",
};
import { testConfig } from "../fixtures.ts";

const now = Date.UTC(2026, 10, 22, 13, 0, 0);

/** The broker-key fixture as `httpJsonBody` leaves it, with authorizer context fields replaced. */
function keyEvent(context: Record<string, string> = {}, headers: Record<string, string | undefined> = {}) {
  const event = structuredClone(brokerKeyCreateSession) as unknown as ParsedHttpEvent & {
    requestContext: { authorizer: { lambda: Record<string, string> } };
  };
  Object.assign(event.requestContext.authorizer.lambda, context);
  Object.assign(event.headers, headers);
  for (const [name, value] of Object.entries(headers)) if (value === undefined) delete event.headers[name];
  event.headers["x-apideck-app-id"] = testConfig.appId;
  return { ...event, body: JSON.parse(String(event.body)) } as ParsedHttpEvent;
}

const read = (event: ParsedHttpEvent) => sessionRequestFromBrokerKey(event, testConfig, now);

describe("Unit: broker key request", () => {
  it("takes the consumer from x-apideck-consumer-id and hands on the key's limits and name", () => {
    const event = keyEvent({ allowedUnifiedApis: "crm,hris", maxSessionLength: "30m" });

    expect(read(event)).toEqual({
      consumerId: "tenant-a:42",
      consumerIdField: "x-apideck-consumer-id",
      body: event.body,
      policyLimits: { allowedUnifiedApis: ["crm", "hris"], maxSessionLength: { text: "30m", seconds: 1800 } },
      brokerKey: { id: "abcdefgh2345", name: "acme-heroku-prod" },
    });
  });

  it("answers 403 naming the header when the consumer is outside the key's scope", () => {
    const event = keyEvent({ consumerScope: "tenant-a:*" }, { "x-apideck-consumer-id": "tenant-b:1" });

    expect(() => read(event)).toThrow(
      expect.objectContaining({
        constructor: ForbiddenRequestError,
        field: "x-apideck-consumer-id",
        message: "x-apideck-consumer-id is outside the consumers this broker key may act for.",
      }),
    );
  });

  it("accepts a consumer matching any glob of the scope", () => {
    const event = keyEvent({ consumerScope: "tenant-b:*,tenant-a:5*" });

    expect(() => read(event)).toThrow(expect.objectContaining({ field: "x-apideck-consumer-id" }));
    expect(read(keyEvent({ consumerScope: "tenant-b:*,tenant-a:4*" })).consumerId).toBe("tenant-a:42");
  });

  it("requires the consumer header like the IAM route does", () => {
    expect(() => read(keyEvent({}, { "x-apideck-consumer-id": undefined }))).toThrow(MissingConsumerIdError);
    expect(() => read(keyEvent({}, { "x-apideck-consumer-id": "a\r\nb" }))).toThrow(SessionValidationError);
  });

  it("answers 403 for another app's id", () => {
    const event = keyEvent();
    event.headers["x-apideck-app-id"] = "someone-elses-app";

    expect(() => read(event)).toThrow(expect.objectContaining({ field: "x-apideck-app-id" }));
  });

  it("refuses a key that expired while API Gateway still caches the authorizer's answer", () => {
    const expiresAt = new Date(now).toISOString();

    expect(() => sessionRequestFromBrokerKey(keyEvent({ expiresAt }), testConfig, now)).toThrow(
      expect.objectContaining({ field: "authorization", message: "The broker key is not valid." }),
    );
    expect(sessionRequestFromBrokerKey(keyEvent({ expiresAt }), testConfig, now - 1).consumerId).toBe(
      "tenant-a:42",
    );
  });

  it("refuses an event without a readable key context (only a hand-built event has one)", () => {
    const event = keyEvent();
    (event.requestContext as { authorizer?: unknown }).authorizer = { jwt: { claims: { sub: "x" } } };

    expect(() => read(event)).toThrow(expect.objectContaining({ field: "authorization" }));
    expect(() => read(keyEvent({ consumerScope: "tenant-(a|b):.*" }))).toThrow(
      expect.objectContaining({ field: "authorization" }),
    );
  });
});
