import { describe, expect, it } from "vitest";
import { matchesFilterPattern } from "./json-filter-pattern.ts";

describe("matchesFilterPattern (test reader of CloudWatch JSON filter patterns)", () => {
  it.each([
    ['{ $.outcome = "*" }', { outcome: "ok" }, true],
    ['{ $.outcome = "*" }', { route: "invoke" }, false],
    ['{ $.outcome = "upstream_error" }', { outcome: "upstream_error" }, true],
    ['{ $.outcome = "upstream_error" }', { outcome: "upstream_error_x" }, false],
    ['{ $.outcome = "upstream*" }', { outcome: "upstream_error" }, true],
    ["{ $.upstream_latency_ms >= 0 }", { upstream_latency_ms: 12 }, true],
    ["{ $.upstream_latency_ms >= 0 }", { upstream_latency_ms: "12" }, false],
    ["{ $.upstream_latency_ms >= 0 }", {}, false],
    ["{ $.cold_start IS TRUE }", { cold_start: true }, true],
    ["{ $.cold_start IS TRUE }", { cold_start: "true" }, false],
    ['{ ($.outcome = "ok") && ($.route = "invoke") }', { outcome: "ok", route: "invoke" }, true],
    ['{ ($.outcome = "ok") && ($.route = "invoke") }', { outcome: "ok", route: "POST /sessions" }, false],
  ])("%s on %j is %s", (pattern, line, expected) => {
    expect(matchesFilterPattern(pattern, line)).toBe(expected);
  });

  it("refuses what it does not understand rather than guess", () => {
    expect(() => matchesFilterPattern("ERROR", {})).toThrow(/not a JSON filter pattern/);
    expect(() => matchesFilterPattern('{ $.a = "x" || $.b = "y" }', {})).toThrow(/unsupported term/);
  });
});
