import { describe, expect, it } from "vitest";
import { checkConsumerId, MAX_CONSUMER_ID_LENGTH } from "../../../lambda/callers/consumer-id.ts";
import { MissingConsumerIdError, SessionValidationError } from "../../../lambda/errors/request-errors.ts";
import type { BrokerHarness } from "../../support/broker-harness.ts";
import { useBrokerHarness } from "../../support/use-broker-harness.ts";

const field = "x-apideck-consumer-id header";

describe("Unit: consumer id", () => {
  it.each(["account:12345", "auth0|6560f1a2b3c4d5e6f7a8b9c0", "a", "Ada Lovelace", "x".repeat(256)])(
    "returns %j unchanged",
    (id) => {
      expect(checkConsumerId(id, field)).toBe(id);
    },
  );

  it.each([undefined, null, ""])("throws MissingConsumerIdError naming the field for %j", (value) => {
    expect(() => checkConsumerId(value, field)).toThrow(MissingConsumerIdError);
    expect(() => checkConsumerId(value, field)).toThrow(expect.objectContaining({ field }));
  });

  it.each([12345, true, ["account:1"], { id: "account:1" }])("rejects the non-string %j", (value) => {
    expect(() => checkConsumerId(value, "consumer_id")).toThrow(SessionValidationError);
    expect(() => checkConsumerId(value, "consumer_id")).toThrow(
      expect.objectContaining({ problems: [{ path: "consumer_id", problem: "must be a string" }] }),
    );
  });

  it(`rejects an id longer than ${MAX_CONSUMER_ID_LENGTH} characters`, () => {
    expect(() => checkConsumerId("x".repeat(MAX_CONSUMER_ID_LENGTH + 1), field)).toThrow(
      expect.objectContaining({ problems: [{ path: field, problem: "must be at most 256 characters" }] }),
    );
  });

  it.each([
    ["a CR LF", "account:1\r\nx-evil: 1"],
    ["a newline", "account:1\n"],
    ["a tab", "account\t1"],
    ["a NUL", "account\u00001"],
    ["DEL", "account\u007f1"],
    ["a C1 control", "account\u00851"],
    ["a leading space", " account:1"],
    ["a trailing space", "account:1 "],
    ["only a space", " "],
    ["a trailing non-breaking space", "account:1\u00a0"],
    ["Latin-1 letters (not printable ASCII)", "tenant/ünïcödé"],
    ["CJK characters, which fetch cannot send in a header", "用户"],
  ])("rejects an id with %s", (_, id) => {
    expect(() => checkConsumerId(id, field)).toThrow(SessionValidationError);
  });

  it.each(["tenant-a:1,tenant-b:2", "a,", ",a", "a, b", "a ,b"])(
    "rejects the comma in %j, naming why",
    (id) => {
      expect(() => checkConsumerId(id, "consumer_id")).toThrow(
        expect.objectContaining({
          problems: [
            {
              path: "consumer_id",
              problem: "must not contain commas (a repeated header arrives joined by commas)",
            },
          ],
        }),
      );
    },
  );
});

describe("Unit: consumer id: regressions", () => {
  const harnesses = useBrokerHarness();

  // Guards: API Gateway joins a repeated header with ", ", which read as one consumer (issue 11, finding 8).
  it("refuses a repeated x-apideck-consumer-id header with 400, though the joined value fits the scope", async () => {
    const harness = await harnesses.start({ env: { CONSUMER_ID_SCOPE: "tenant-a:*" } });

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
    const harness = await harnesses.start({ env: { CONSUMER_ID_SCOPE: "tenant-a:*" } });

    const result = await send(harness);

    expect(result.statusCode).toBe(422);
    expect(JSON.stringify(result.body.detail)).toContain("must not contain commas");
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("refuses a consumer_id with a comma in a direct invocation with 422", async () => {
    const harness = await harnesses.start({ env: { CONSUMER_ID_SCOPE: "tenant-a:*" } });

    const error = await harness.invoke({ consumer_id: "tenant-a:1,tenant-b:2" }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
    expect(harness.simulator.requests).toHaveLength(0);
  });
});
