import { describe, expect, it } from "vitest";
import { CORS_ORIGIN_PATTERN, CorsOriginsError, parseCorsOrigins } from "../../infra/cors-settings.ts";

describe("Infra: CORS settings", () => {
  describe("parseCorsOrigins", () => {
    it("reads a comma-separated list, ignoring blanks and spaces", () => {
      expect(parseCorsOrigins(" https://app.example.com, ,http://localhost:5173 ")).toEqual([
        "https://app.example.com",
        "http://localhost:5173",
      ]);
    });

    it.each([undefined, "", " , "])("reads %j as no CORS", (text) => {
      expect(parseCorsOrigins(text)).toEqual([]);
    });

    it.each([
      ["*"],
      ["https://*.example.com"],
      ["https://app.example.com/"],
      ["https://app.example.com/path"],
      ["app.example.com"],
      ["ftp://app.example.com"],
    ])("refuses %j, naming it", (origin) => {
      expect(() => parseCorsOrigins(`https://ok.example.com,${origin}`)).toThrow(CorsOriginsError);
      expect(() => parseCorsOrigins(origin)).toThrow(JSON.stringify(origin));
    });
  });

  it("accepts an origin with a port", () => {
    expect(CORS_ORIGIN_PATTERN.test("http://localhost:5173")).toBe(true);
  });
});
