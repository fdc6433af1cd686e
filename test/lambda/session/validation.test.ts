import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SessionValidationError } from "../../../lambda/errors/request-errors.ts";
import { exceedsJsonBytes, validateSession } from "../../../lambda/session/validation.ts";
import { useBrokerHarness } from "../../support/use-broker-harness.ts";

describe("Unit: session validation", () => {
  it.each([undefined, null])("treats a %s body as Apideck's empty session", (body) => {
    expect(validateSession(body)).toEqual({});
  });

  it("returns a valid session unchanged", () => {
    const session = {
      redirect_uri: "https://mysaas.com/dashboard",
      settings: { unified_apis: ["crm" as const] },
    };

    expect(validateSession(session)).toEqual(session);
  });

  it("throws SessionValidationError naming every invalid field", () => {
    const body = { redirect_uri: "javascript:alert(1)", settings: { session_length: "8d", extra: true } };

    let error: unknown;
    try {
      validateSession(body);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SessionValidationError);
    const { problems, message } = error as SessionValidationError;
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      "redirect_uri",
      "settings.extra",
      "settings.session_length",
    ]);
    expect(message).toMatch(/^Invalid request: .*redirect_uri/);
  });

  it("does not quote the rejected values in the message", () => {
    const secretLooking = "https://user:hunter2@mysaas.com/";

    expect(() => validateSession({ redirect_uri: secretLooking })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  describe("exceedsJsonBytes", () => {
    it("agrees with JSON.stringify's UTF-8 length for any JSON value and limit", () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 400 }), (value, limit) => {
          const bytes = Buffer.byteLength(JSON.stringify(value));

          expect(exceedsJsonBytes(value, limit)).toBe(bytes > limit);
        }),
        { numRuns: 2_000, seed: 0x11_0005 },
      );
    });

    it("stops early on a payload of megabytes", () => {
      const huge = { items: Array.from({ length: 200_000 }, (_, i) => ({ i, text: "x".repeat(20) })) };

      expect(exceedsJsonBytes(huge, 16_384)).toBe(true);
    });
  });
});

const problemsOf = (body: unknown) => {
  try {
    validateSession(body);
    return [];
  } catch (error) {
    return (error as SessionValidationError).problems;
  }
};

describe("Unit: session validation: regressions", () => {
  // Guards: a wrong-type field is reported as wrong type, not as missing (unit-test review).
  it("says a field of the wrong type has the wrong type, not that it is missing", () => {
    expect(problemsOf({ settings: { sandbox_mode: "yes" } })).toEqual([
      { path: "settings.sandbox_mode", problem: "must be a boolean" },
    ]);
    expect(problemsOf("hello")).toEqual([{ path: "(body)", problem: "must be an object" }]);
  });

  // Guards: custom_consumer_settings keys have their own length message (unit-test review).
  it("describes an over-long custom_consumer_settings key", () => {
    const [problem] = problemsOf({ custom_consumer_settings: { ["k".repeat(257)]: 1 } });

    expect(problem?.problem).toBe("key must be at most 256 characters");
  });

  // Guards: the depth check runs before zod, so a deeply nested 8 KB body cannot overflow the stack (adversarial review).
  const harnesses = useBrokerHarness();

  it("answers 422, not a stack overflow, to an 8 KB body nested 4,000 levels deep", async () => {
    const harness = await harnesses.start();
    const body = `{"custom_consumer_settings":{"a":${"[".repeat(4000)}${"]".repeat(4000)}}}`;

    const result = await harness.postVaultSessions({ body });

    expect(result.statusCode).toBe(422);
    expect(result.body.detail).toEqual({ "(body)": "must not nest deeper than 32 levels" });
    expect(harness.simulator.requests).toHaveLength(0);
  });
});
