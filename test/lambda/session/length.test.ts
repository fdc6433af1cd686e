import { describe, expect, it } from "vitest";
import {
  DEFAULT_SESSION_LENGTH_SECONDS,
  MAX_SESSION_LENGTH_SECONDS,
  parseSessionLength,
} from "../../../lambda/session/length.ts";

describe("Unit: session length", () => {
  it.each([
    ["90s", 90],
    ["30m", 1_800],
    ["1h", 3_600],
    ["7d", 604_800],
    ["8d", 691_200],
    ["9999999s", 9_999_999],
  ])("parses %s into %i seconds", (text, seconds) => {
    expect(parseSessionLength(text)).toBe(seconds);
  });

  it.each([
    "",
    "10",
    "0m",
    "01h",
    "1w",
    "1M",
    "1H",
    "1.5h",
    "-1h",
    "+1h",
    " 1h",
    "1h ",
    "1h30m",
    "10000000s",
  ])("returns undefined for %j", (text) => {
    expect(parseSessionLength(text)).toBeUndefined();
  });

  it("uses Apideck's one-week maximum and one-hour default", () => {
    expect(MAX_SESSION_LENGTH_SECONDS).toBe(parseSessionLength("7d"));
    expect(DEFAULT_SESSION_LENGTH_SECONDS).toBe(parseSessionLength("1h"));
  });
});
