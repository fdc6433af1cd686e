import { afterEach, describe, expect, it } from "vitest";
import { sessionRequestFromInvocation } from "../../../lambda/callers/invocation.ts";
import { MissingConsumerIdError, SessionValidationError } from "../../../lambda/errors/request-errors.ts";
import { type BrokerHarness, startBrokerHarness } from "../../support/broker-harness.ts";
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
  let harness: BrokerHarness | undefined;

  afterEach(async () => {
    if (harness === undefined) return;
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
    harness = undefined;
  });

  it("answers 422 to a deeply nested session in a direct invocation, which has no size limit", async () => {
    harness = await startBrokerHarness();
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];

    const error = await harness
      .invoke({ consumer_id: "a", session: { custom_consumer_settings: { deep } } })
      .catch((e) => e);

    expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
  });
});
