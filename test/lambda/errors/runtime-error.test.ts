import { describe, expect, it } from "vitest";
import { runtimeError } from "../../../lambda/errors/runtime-error.ts";

describe("Unit: runtimeError", () => {
  it("names the error, its constructor and its stack by the given name, with no frames", () => {
    const error = runtimeError("UpstreamTimeoutError", "Apideck did not answer in time; retry later.");

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("UpstreamTimeoutError");
    expect(error.constructor.name).toBe("UpstreamTimeoutError");
    expect(error.message).toBe("Apideck did not answer in time; retry later.");
    expect(error.stack).toBe("UpstreamTimeoutError: Apideck did not answer in time; retry later.");
    expect(String(error)).toBe(error.stack);
  });

  it("has no own enumerable property for Lambda's log line to repeat", () => {
    expect(Object.keys(runtimeError("RequestValidationError", "Invalid request: redirect_uri."))).toEqual([]);
  });

  it("makes a separate class per error, so one name never leaks into another", () => {
    const first = runtimeError("ValidationError", "a");
    const second = runtimeError("ValidationError", "b");
    const other = runtimeError("InternalError", "c");

    expect(first.constructor).not.toBe(second.constructor);
    expect(other.name).toBe("InternalError");
    expect(first.name).toBe("ValidationError");
  });
});
