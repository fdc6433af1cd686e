import { describe, expect, it } from "vitest";
import { sessionRequestFromInvocation } from "../../../lambda/callers/invocation.ts";
import {
  MissingConsumerIdError,
  PayloadTooLargeError,
  SessionValidationError,
} from "../../../lambda/errors/request-errors.ts";
import { MAX_BODY_BYTES } from "../../../lambda/session/validation.ts";
import { useBrokerHarness } from "../../support/use-broker-harness.ts";
import { invokeEvent } from "../fixtures.ts";

describe("Unit: invocation session request", () => {
  describe("sessionRequestFromInvocation", () => {
    it("reads consumer_id and session", () => {
      expect(sessionRequestFromInvocation(invokeEvent())).toEqual({
        consumerId: "account:12345",
        consumerIdField: "consumer_id",
        body: { redirect_uri: "https://app.example.com/done", settings: { session_length: "1h" } },
      });
    });

    /** A payload whose JSON is exactly `bytes` long. */
    function payloadOf(bytes: number) {
      const base = JSON.stringify({ consumer_id: "a", session: { custom_consumer_settings: { pad: "" } } });
      return {
        consumer_id: "a",
        session: { custom_consumer_settings: { pad: "x".repeat(bytes - base.length) } },
      };
    }

    it(`accepts a payload of exactly ${MAX_BODY_BYTES} bytes of JSON`, () => {
      expect(Buffer.byteLength(JSON.stringify(payloadOf(MAX_BODY_BYTES)))).toBe(MAX_BODY_BYTES);
      expect(() => sessionRequestFromInvocation(payloadOf(MAX_BODY_BYTES))).not.toThrow();
    });

    it("refuses a payload one byte larger with the HTTP routes' PayloadTooLargeError (413)", () => {
      expect(() => sessionRequestFromInvocation(payloadOf(MAX_BODY_BYTES + 1))).toThrow(PayloadTooLargeError);
    });

    it("counts bytes, not characters: multi-byte text cannot slip past the bound", () => {
      const payload = { consumer_id: "a", session: { custom_consumer_settings: { pad: "é".repeat(9000) } } };

      expect(() => sessionRequestFromInvocation(payload)).toThrow(PayloadTooLargeError);
    });

    it("refuses a payload nested deeper than the body's bound with a 422 naming it", () => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = [deep];

      expect(() => sessionRequestFromInvocation({ consumer_id: "a", session: { x: deep } })).toThrow(
        expect.objectContaining({
          problems: [{ path: "(payload)", problem: "must not nest deeper than 32 levels" }],
        }),
      );
    });

    it("leaves session undefined when it is absent", () => {
      const event = invokeEvent();
      delete event.session;

      expect(sessionRequestFromInvocation(event)).toEqual({
        consumerId: "account:12345",
        consumerIdField: "consumer_id",
        body: undefined,
      });
    });

    it("passes session on unvalidated", () => {
      const event = invokeEvent();
      event.session = { nonsense: true };

      expect(sessionRequestFromInvocation(event).body).toEqual({ nonsense: true });
    });

    it.each([undefined, null, ""])("throws MissingConsumerIdError for consumer_id %j", (consumerId) => {
      const event = invokeEvent();
      event.consumer_id = consumerId;

      expect(() => sessionRequestFromInvocation(event)).toThrow(
        expect.objectContaining({ constructor: MissingConsumerIdError, field: "consumer_id" }),
      );
    });

    it("rejects a numeric consumer_id", () => {
      const event = invokeEvent();
      event.consumer_id = 12345;

      expect(() => sessionRequestFromInvocation(event)).toThrow(
        expect.objectContaining({ problems: [{ path: "consumer_id", problem: "must be a string" }] }),
      );
    });

    it("rejects unknown top-level fields, such as a misspelt consumerId", () => {
      const event = invokeEvent();
      event.consumerId = "account:12345";

      expect(() => sessionRequestFromInvocation(event)).toThrow(
        expect.objectContaining({ problems: [{ path: "consumerId", problem: "is not a known field" }] }),
      );
    });

    it.each([
      ["null", null],
      ["a string", "account:12345"],
      ["an array", [invokeEvent()]],
    ])("rejects a payload that is %s", (_, event) => {
      expect(() => sessionRequestFromInvocation(event)).toThrow(SessionValidationError);
      expect(() => sessionRequestFromInvocation(event)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ path: "(body)" })] }),
      );
    });
  });
});

describe("Unit: invocation session request: regressions", () => {
  // Guards: a direct invocation's deep session is refused by the depth check (adversarial review).
  const harnesses = useBrokerHarness();

  it("answers 422 to a deeply nested session in a direct invocation", async () => {
    const harness = await harnesses.start();
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];

    const error = await harness
      .invoke({ consumer_id: "a", session: { custom_consumer_settings: { deep } } })
      .catch((e) => e);

    expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
  });

  // Guards: the 16 KB body bound holds on direct invocation too (issue 11, finding 7).
  it("answers 413 to a 4.88 MB custom_consumer_settings in a direct invocation, and forwards nothing", async () => {
    const harness = await harnesses.start();
    const custom_consumer_settings = { blob: "x".repeat(4_880_000) };

    const error = (await harness
      .invoke({ consumer_id: "a", session: { custom_consumer_settings } })
      .catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: "PayloadTooLargeError", statusCode: 413 });
    expect(error.message).toBe("The request body must be at most 16384 bytes.");
    expect(harness.simulator.requests).toHaveLength(0);
    expect(harness.secretsManager.getSecretValueCalls).toBe(0);
  });
});
