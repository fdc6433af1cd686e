import { describe, expect, it } from "vitest";
import { type ParsedHttpEvent, sessionRequestFromHttp } from "../../../lambda/callers/http-request.ts";
import {
  ForbiddenRequestError,
  MissingConsumerIdError,
  RepeatedHeaderError,
  RouteNotFoundError,
  SessionValidationError,
} from "../../../lambda/errors/request-errors.ts";
import { iamEvent, jwtEvent, testConfig } from "../fixtures.ts";

/** The IAM fixture as `httpJsonBody` leaves it: the body parsed. */
function parsedIamEvent(): ParsedHttpEvent {
  const event = iamEvent();
  return { ...event, body: JSON.parse(event.body ?? "null") } as ParsedHttpEvent;
}

/** The JWT fixture as `httpJsonBody` leaves it: the body parsed. */
function parsedJwtEvent(): ParsedHttpEvent {
  const event = jwtEvent();
  return { ...event, body: JSON.parse(event.body ?? "null") } as ParsedHttpEvent;
}

/** The verified claims of a JWT-route event, for a test to change. */
function claimsOf(event: ParsedHttpEvent): Record<string, unknown> {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (claims === undefined) throw new Error("the event has no JWT claims");
  return claims;
}

describe("Unit: http session request", () => {
  describe("POST /vault/sessions (IAM)", () => {
    it("takes the consumer id from x-apideck-consumer-id and the body as it is", () => {
      const event = parsedIamEvent();

      const request = sessionRequestFromHttp(event, "POST /vault/sessions", testConfig);

      expect(request).toEqual({
        consumerId: "account:12345",
        consumerIdField: "x-apideck-consumer-id",
        body: event.body,
      });
      expect(request.body).toBe(event.body);
    });

    it("accepts x-apideck-app-id when it names this service's app", () => {
      const event = parsedIamEvent();
      event.headers["x-apideck-app-id"] = testConfig.appId;

      expect(sessionRequestFromHttp(event, "POST /vault/sessions", testConfig).consumerId).toBe(
        "account:12345",
      );
    });

    it("rejects a repeated x-apideck-consumer-id header with 400, even if one copy matches the token", () => {
      const event = parsedJwtEvent();
      event.headers["x-apideck-consumer-id"] = `${String(claimsOf(event).sub)}, someone-else`;

      expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).toThrow(RepeatedHeaderError);
    });

    it("rejects an x-apideck-app-id naming another app with 403", () => {
      const event = parsedIamEvent();
      event.headers["x-apideck-app-id"] = "someone-elses-app";

      expect(() => sessionRequestFromHttp(event, "POST /vault/sessions", testConfig)).toThrow(
        expect.objectContaining({ constructor: ForbiddenRequestError, field: "x-apideck-app-id" }),
      );
    });

    it("throws MissingConsumerIdError without the header", () => {
      const event = parsedIamEvent();
      delete event.headers["x-apideck-consumer-id"];

      expect(() => sessionRequestFromHttp(event, "POST /vault/sessions", testConfig)).toThrow(
        expect.objectContaining({
          constructor: MissingConsumerIdError,
          field: "x-apideck-consumer-id header",
        }),
      );
    });

    it("rejects a consumer id with control characters", () => {
      const event = parsedIamEvent();
      event.headers["x-apideck-consumer-id"] = "account:1\r\nx-injected: 1";

      expect(() => sessionRequestFromHttp(event, "POST /vault/sessions", testConfig)).toThrow(
        SessionValidationError,
      );
    });

    it("rejects a repeated x-apideck-consumer-id header, as API Gateway joins it, naming the header", () => {
      const event = parsedIamEvent();
      event.headers["x-apideck-consumer-id"] = "tenant-a:1, tenant-b:2";

      expect(() => sessionRequestFromHttp(event, "POST /vault/sessions", testConfig)).toThrow(
        expect.objectContaining({ constructor: RepeatedHeaderError, header: "x-apideck-consumer-id" }),
      );
    });

    it("rejects a comma in the consumer id even without the joined form", () => {
      const event = parsedIamEvent();
      event.headers["x-apideck-consumer-id"] = "tenant-a:1,tenant-b:2";

      expect(() => sessionRequestFromHttp(event, "POST /vault/sessions", testConfig)).toThrow(
        SessionValidationError,
      );
    });

    it("derives nothing from claims on the IAM route", () => {
      const event = parsedIamEvent();
      event.requestContext.authorizer = { jwt: { claims: { sub: "x", email: "ada@example.com" } } };

      const request = sessionRequestFromHttp(event, "POST /vault/sessions", testConfig);

      expect(request.body).toBe(event.body);
      expect(request.serverDefaults).toBeUndefined();
    });
  });

  describe("POST /sessions (JWT)", () => {
    it("takes the consumer id from the sub claim, and email and name as server defaults", () => {
      const event = parsedJwtEvent();

      expect(sessionRequestFromHttp(event, "POST /sessions", testConfig)).toEqual({
        consumerId: "auth0|6560f1a2b3c4d5e6f7a8b9c0",
        consumerIdField: "the token's sub claim",
        body: {
          redirect_uri: "https://app.example.com/integrations",
          settings: { unified_apis: ["crm", "hris"] },
        },
        serverDefaults: { consumer_metadata: { email: "ada@example.com", user_name: "Ada Lovelace" } },
      });
    });

    it("takes the consumer id from the configured claim", () => {
      const event = parsedJwtEvent();
      const claims = claimsOf(event);
      claims["custom:tenant_id"] = "tenant-42";

      const request = sessionRequestFromHttp(event, "POST /sessions", {
        ...testConfig,
        consumerIdClaim: "custom:tenant_id",
      });

      expect(request.consumerId).toBe("tenant-42");
    });

    describe("with the email claim naming the consumer", () => {
      const emailConfig = { ...testConfig, consumerIdClaim: "email" };

      it.each([
        ["the string API Gateway passes", "true"],
        ["a boolean", true],
      ])("accepts email_verified as %s", (_, verified) => {
        const event = parsedJwtEvent();
        Object.assign(claimsOf(event), { email: "ada@example.com", email_verified: verified });

        expect(sessionRequestFromHttp(event, "POST /sessions", emailConfig).consumerId).toBe(
          "ada@example.com",
        );
      });

      it.each([
        ["false", "false"],
        ["boolean false", false],
        ["absent", undefined],
        ["TRUE in capitals", "TRUE"],
        ["1", 1],
        ["an empty string", ""],
      ])("refuses email_verified %s with 403 naming the claim", (_, verified) => {
        const event = parsedJwtEvent();
        Object.assign(claimsOf(event), { email: "ada@example.com", email_verified: verified });

        expect(() => sessionRequestFromHttp(event, "POST /sessions", emailConfig)).toThrow(
          expect.objectContaining({
            constructor: ForbiddenRequestError,
            field: "the token's email_verified claim",
          }),
        );
      });

      it("does not ask for email_verified when another claim names the consumer", () => {
        const event = parsedJwtEvent();
        Object.assign(claimsOf(event), { email_verified: "false" });

        expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).not.toThrow();
      });
    });

    it.each([
      ["a string body", "not a session"],
      ["an array body", [1, 2]],
      ["a body with its own consumer_metadata", { consumer_metadata: { email: "billing@example.com" } }],
      ["no body", undefined],
    ])("passes %s on untouched, for validation and the merge to handle", (_, body) => {
      const event = parsedJwtEvent();
      event.body = body;

      expect(sessionRequestFromHttp(event, "POST /sessions", testConfig).body).toBe(body);
    });

    it("keeps a valid name when the email claim is not a valid email", () => {
      const event = parsedJwtEvent();
      event.requestContext.authorizer = {
        jwt: { claims: { sub: "auth0|1", email: "+15551234567", name: "Ada" } },
      };

      expect(sessionRequestFromHttp(event, "POST /sessions", testConfig).serverDefaults).toEqual({
        consumer_metadata: { user_name: "Ada" },
      });
    });

    it("keeps a valid email when the name claim is too long for user_name", () => {
      const event = parsedJwtEvent();
      event.requestContext.authorizer = {
        jwt: { claims: { sub: "auth0|1", email: "ada@example.com", name: "n".repeat(256) } },
      };

      expect(sessionRequestFromHttp(event, "POST /sessions", testConfig).serverDefaults).toEqual({
        consumer_metadata: { email: "ada@example.com" },
      });
    });

    it.each([
      ["neither email nor name", { sub: "auth0|1" }],
      ["claims that are not strings", { sub: "auth0|1", email: ["a@example.com"], name: 7 }],
      ["empty claims", { sub: "auth0|1", email: "", name: "" }],
    ])("derives no consumer_metadata from %s", (_, claims) => {
      const event = parsedJwtEvent();
      event.requestContext.authorizer = { jwt: { claims } };

      expect(sessionRequestFromHttp(event, "POST /sessions", testConfig).serverDefaults).toEqual({
        consumer_metadata: {},
      });
    });

    it("accepts an x-apideck-consumer-id header naming the same consumer", () => {
      const event = parsedJwtEvent();
      event.headers["x-apideck-consumer-id"] = "auth0|6560f1a2b3c4d5e6f7a8b9c0";

      expect(sessionRequestFromHttp(event, "POST /sessions", testConfig).consumerId).toBe(
        "auth0|6560f1a2b3c4d5e6f7a8b9c0",
      );
    });

    it("rejects an x-apideck-consumer-id header naming someone else with 403", () => {
      const event = parsedJwtEvent();
      event.headers["x-apideck-consumer-id"] = "account:someone-else";

      expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).toThrow(
        expect.objectContaining({ constructor: ForbiddenRequestError, field: "x-apideck-consumer-id" }),
      );
    });

    it("rejects an x-apideck-app-id naming another app with 403", () => {
      const event = parsedJwtEvent();
      event.headers["x-apideck-app-id"] = "someone-elses-app";

      expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).toThrow(
        ForbiddenRequestError,
      );
    });

    it("throws MissingConsumerIdError naming the claim when the token lacks it", () => {
      const event = parsedJwtEvent();
      delete claimsOf(event).sub;

      expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).toThrow(
        expect.objectContaining({ constructor: MissingConsumerIdError, field: "the token's sub claim" }),
      );
    });

    it("throws MissingConsumerIdError when there is no authorizer at all", () => {
      const event = parsedJwtEvent();
      delete event.requestContext.authorizer;

      expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).toThrow(
        MissingConsumerIdError,
      );
    });

    it("does not take the consumer id from the header when the claim is missing", () => {
      const event = parsedJwtEvent();
      delete claimsOf(event).sub;
      event.headers["x-apideck-consumer-id"] = "account:12345";

      expect(() => sessionRequestFromHttp(event, "POST /sessions", testConfig)).toThrow(
        MissingConsumerIdError,
      );
    });
  });

  it("throws RouteNotFoundError for an unknown route", () => {
    expect(() => sessionRequestFromHttp(parsedIamEvent(), "unknown", testConfig)).toThrow(RouteNotFoundError);
  });
});
