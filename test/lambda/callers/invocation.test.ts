import { describe, expect, it } from "vitest";
import { sessionRequestFromInvocation } from "../../../lambda/callers/invocation.ts";
import { MissingConsumerIdError, SessionValidationError } from "../../../lambda/errors/request-errors.ts";
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
