import { describe, expect, it } from "vitest";
import { SessionValidationError } from "../../../lambda/errors/request-errors.ts";
import { validateSession } from "../../../lambda/session/validation.ts";

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
});
