import { afterEach, describe, expect, it } from "vitest";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// Holes the adversarial review found, each pinned by the input that opened it.

describe("Adversarial: review findings", () => {
  let harness: BrokerHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    expect(harness?.leakedSecrets()).toEqual([]);
    harness = undefined;
  });

  it("answers 422, not a stack overflow, to an 8 KB body nested 4,000 levels deep", async () => {
    harness = await startBrokerHarness();
    const body = `{"custom_consumer_settings":{"a":${"[".repeat(4000)}${"]".repeat(4000)}}}`;

    const result = await harness.postVaultSessions({ body });

    expect(result.statusCode).toBe(422);
    expect(result.body.detail).toEqual({ "(body)": "must not nest deeper than 32 levels" });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("answers 422 to a deeply nested session in a direct invocation", async () => {
    harness = await startBrokerHarness();
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];

    const error = await harness
      .invoke({ consumer_id: "a", session: { custom_consumer_settings: { deep } } })
      .catch((e) => e);

    expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
  });

  it("answers 413 to a 4.88 MB custom_consumer_settings in a direct invocation, and forwards nothing", async () => {
    harness = await startBrokerHarness();
    const custom_consumer_settings = { blob: "x".repeat(4_880_000) };

    const error = (await harness
      .invoke({ consumer_id: "a", session: { custom_consumer_settings } })
      .catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: "PayloadTooLargeError", statusCode: 413 });
    expect(error.message).toBe("The request body must be at most 16384 bytes.");
    expect(harness.simulator.requests).toHaveLength(0);
    expect(harness.secretsManager.getSecretValueCalls).toBe(0);
  });

  it("refuses a repeated x-apideck-consumer-id header with 400, though the joined value fits the scope", async () => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_SCOPE: "tenant-a:*" } });

    const result = await harness.postVaultSessions({
      headers: { "x-apideck-consumer-id": "tenant-a:1, tenant-b:2" },
    });

    expect(result.statusCode).toBe(400);
    expect(result.body).toMatchObject({
      type_name: "RepeatedHeaderError",
      detail: { header: "x-apideck-consumer-id" },
    });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it.each([
    [
      "the IAM route",
      (h: BrokerHarness) =>
        h.postVaultSessions({ headers: { "x-apideck-consumer-id": "tenant-a:1,tenant-b:2" } }),
    ],
    ["the JWT route", (h: BrokerHarness) => h.postSessions({ claims: { sub: "tenant-a:1,tenant-b:2" } })],
  ])("refuses a consumer id with a comma on %s with 422", async (_route, send) => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_SCOPE: "tenant-a:*" } });

    const result = await send(harness);

    expect(result.statusCode).toBe(422);
    expect(JSON.stringify(result.body.detail)).toContain("must not contain commas");
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("refuses a consumer_id with a comma in a direct invocation with 422", async () => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_SCOPE: "tenant-a:*" } });

    const error = await harness.invoke({ consumer_id: "tenant-a:1,tenant-b:2" }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("keeps a locked default when the token's email and name claims would fill it", async () => {
    harness = await startBrokerHarness({
      env: {
        LOCKED_FIELDS: "consumer_metadata.email,consumer_metadata.user_name",
        SESSION_DEFAULTS: JSON.stringify({ consumer_metadata: { email: "support@operator.example" } }),
      },
    });

    const result = await harness.postSessions({
      claims: { sub: "u1", email: "attacker@evil.example", name: "Mallory" },
    });

    expect(result.statusCode).toBe(200);
    expect(harness.simulator.requests[0]?.body).toEqual({
      consumer_metadata: { email: "support@operator.example" },
    });
  });

  it("answers 400 to an HTTP-shaped invocation whose body is not a string", async () => {
    harness = await startBrokerHarness();

    const result = await harness.postVaultSessions({
      event: { body: { redirect_uri: "https://a.example/" } },
    });

    expect(result.statusCode).toBe(400);
    expect(result.body.type_name).toBe("MalformedJsonError");
  });
});
