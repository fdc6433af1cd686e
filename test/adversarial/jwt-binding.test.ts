import { afterEach, describe, expect, it } from "vitest";
import iamEvent from "../events/http-api/iam-create-session.json" with { type: "json" };
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// The JWT route (`POST /sessions`) serves a browser app's signed-in user: the consumer is the
// verified claim and nothing else. A header, the body or the query string naming someone else is
// refused or ignored, never obeyed.

const CLAIMS = { sub: "user-42", email: "ada@example.com", name: "Ada" };

describe("Adversarial: JWT route consumer binding", () => {
  let harness: BrokerHarness;

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  const consumersSent = () =>
    harness.simulator.requests.map((request) => request.headers["x-apideck-consumer-id"]);

  it.each([
    ["another consumer", "user-43"],
    ["the claim with different case", "USER-42"],
    ["the claim with a suffix", "user-42x"],
    ["an empty value", ""],
  ])("refuses an x-apideck-consumer-id header naming %s with 403", async (_name, header) => {
    harness = await startBrokerHarness();

    const result = await harness.postSessions({
      claims: CLAIMS,
      headers: { "x-apideck-consumer-id": header },
      body: {},
    });

    expect(result.statusCode).toBe(403);
    expect(result.body).toMatchObject({
      type_name: "ForbiddenRequestError",
      detail: { field: "x-apideck-consumer-id" },
    });
    expect(harness.simulator.requests).toHaveLength(0);
    expect(harness.secretsManager.getSecretValueCalls).toBe(0);
  });

  it.each([
    ["the claim repeated", "user-42, user-42"],
    ["the claim and another", "user-42, user-43"],
    ["another and the claim", "user-43, user-42"],
  ])(
    "refuses a repeated x-apideck-consumer-id header (%s, as API Gateway joins it) with 400",
    async (_name, header) => {
      harness = await startBrokerHarness();

      const result = await harness.postSessions({
        claims: CLAIMS,
        headers: { "x-apideck-consumer-id": header },
        body: {},
      });

      expect(result.statusCode).toBe(400);
      expect(result.body).toMatchObject({
        type_name: "RepeatedHeaderError",
        detail: { header: "x-apideck-consumer-id" },
      });
      expect(harness.simulator.requests).toHaveLength(0);
    },
  );

  it.each([
    ["an unverified e-mail", { email_verified: "false" }],
    ["an e-mail without email_verified", {}],
  ])("refuses %s as the consumer with 403 naming the claim", async (_name, verified) => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_CLAIM: "email" } });

    const result = await harness.postSessions({
      claims: { sub: "u1", email: "victim@example.com", ...verified },
    });

    expect(result.statusCode).toBe(403);
    expect(result.body.detail).toEqual({ field: "the token's email_verified claim" });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("accepts a verified e-mail as the consumer, with the claim as API Gateway passes it", async () => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_CLAIM: "email" } });

    const result = await harness.postSessions({
      claims: { sub: "u1", email: "ada@example.com", email_verified: "true" },
    });

    expect(result.statusCode).toBe(200);
    expect(consumersSent()).toEqual(["ada@example.com"]);
  });

  it("accepts an x-apideck-consumer-id header that names the claim's consumer", async () => {
    harness = await startBrokerHarness();

    const result = await harness.postSessions({
      claims: CLAIMS,
      headers: { "x-apideck-consumer-id": "user-42" },
      body: {},
    });

    expect(result.statusCode).toBe(200);
    expect(consumersSent()).toEqual(["user-42"]);
  });

  it.each([
    ["consumer_id", { consumer_id: "user-43" }],
    ["consumerId", { consumerId: "user-43" }],
    ["x-apideck-consumer-id", { "x-apideck-consumer-id": "user-43" }],
    [
      "consumer_id next to valid fields",
      { redirect_uri: "https://app.example.com/done", consumer_id: "user-43" },
    ],
    ["consumer_id inside settings", { settings: { consumer_id: "user-43" } }],
    ["consumer_id inside consumer_metadata", { consumer_metadata: { consumer_id: "user-43" } }],
  ])("refuses %s in the body with 422 as an unknown field", async (field, body) => {
    harness = await startBrokerHarness();

    const result = await harness.postSessions({ claims: CLAIMS, body });

    expect(result.statusCode).toBe(422);
    expect(Object.values(result.body.detail as object)).toEqual(["is not a known field"]);
    expect(Object.keys(result.body.detail as object)[0]).toMatch(new RegExp(`${field.split(" ")[0]}$`));
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("ignores consumer_id in the query string and uses the claim", async () => {
    harness = await startBrokerHarness();

    const result = await harness.postSessions({
      claims: CLAIMS,
      body: {},
      event: {
        rawQueryString: "consumer_id=user-43&x-apideck-consumer-id=user-43&sub=user-43",
        queryStringParameters: { consumer_id: "user-43", "x-apideck-consumer-id": "user-43", sub: "user-43" },
      },
    });

    expect(result.statusCode).toBe(200);
    expect(consumersSent()).toEqual(["user-42"]);
  });

  it("ignores a consumer_id claim next to sub: only the configured claim counts", async () => {
    harness = await startBrokerHarness();

    await harness.postSessions({
      claims: { ...CLAIMS, consumer_id: "user-43", "x-apideck-consumer-id": "user-43" },
      body: {},
    });

    expect(consumersSent()).toEqual(["user-42"]);
  });

  it("reads the consumer from CONSUMER_ID_CLAIM and nothing else when it is set", async () => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_CLAIM: "https://example.com/tenant" } });

    const result = await harness.postSessions({
      claims: { sub: "user-42", "https://example.com/tenant": "tenant-7" },
      body: {},
    });
    const withoutClaim = await harness.postSessions({ claims: { sub: "user-42" }, body: {} });

    expect(result.statusCode).toBe(200);
    expect(consumersSent()).toEqual(["tenant-7"]);
    expect(withoutClaim.statusCode).toBe(400);
    expect(withoutClaim.body.detail).toEqual({ missing: ["the token's https://example.com/tenant claim"] });
  });

  it.each([
    ["no claim at all", {}],
    ["an empty claim", { sub: "" }],
    ["a null claim", { sub: null }],
  ])("answers 400 for %s, even with a header naming a consumer", async (_name, claims) => {
    harness = await startBrokerHarness();

    const result = await harness.postSessions({
      claims,
      headers: { "x-apideck-consumer-id": "user-43" },
      body: {},
    });

    expect(result.statusCode).toBe(400);
    expect(result.body.type_name).toBe("MissingConsumerIdError");
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it.each([
    ["a CRLF", "user-42\r\nx-apideck-consumer-id: user-43"],
    ["a NUL byte", "user-42\u0000"],
    ["a trailing space", "user-42 "],
    ["257 characters", "u".repeat(257)],
    ["a number", 42],
    ["a list", ["user-42", "user-43"]],
  ])("refuses a claim with %s with 422", async (_name, sub) => {
    harness = await startBrokerHarness();

    const result = await harness.postSessions({ claims: { sub }, body: {} });

    expect(result.statusCode).toBe(422);
    expect(Object.keys(result.body.detail as object)).toEqual(["the token's sub claim"]);
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("fills consumer_metadata from the token's claims only where the body leaves it empty", async () => {
    harness = await startBrokerHarness();

    await harness.postSessions({
      claims: CLAIMS,
      body: { consumer_metadata: { user_name: "Someone Else" } },
    });

    expect(harness.simulator.requests[0]?.body).toEqual({
      consumer_metadata: { email: "ada@example.com", user_name: "Someone Else" },
    });
  });

  it("does not take the consumer from the JWT claims on the IAM route", async () => {
    harness = await startBrokerHarness();

    const result = await harness.postVaultSessions({
      headers: { "x-apideck-consumer-id": "account:1" },
      event: {
        requestContext: { ...iamEvent.requestContext, authorizer: { jwt: { claims: { sub: "user-43" } } } },
      },
    });

    expect(result.statusCode).toBe(200);
    expect(consumersSent()).toEqual(["account:1"]);
  });
});
