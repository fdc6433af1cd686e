import { describe, expect, it } from "vitest";
import {
  MAX_UPSTREAM_DETAIL_CHARS,
  MAX_UPSTREAM_MESSAGE_CHARS,
  REDACTED,
  scrubText,
  toApideckErrorBody,
} from "../../../lambda/apideck/error-body.ts";
import { API_KEY, unsignedJwt } from "../fixtures.ts";

const JWT = unsignedJwt({ sub: "tenant:1", exp: 1_900_000_000 });

describe("Unit: Apideck error body", () => {
  describe("scrubText", () => {
    it.each([
      ["an Apideck key", `key ${API_KEY} is invalid`, `key ${REDACTED} is invalid`],
      ["a test key", "sk_test_abc123 refused", `${REDACTED} refused`],
      ["a broker key", "vsb_k1_s3cr3t refused", `${REDACTED} refused`],
      ["a bearer header", "Authorization: Bearer abc.def-ghi", `Authorization: Bearer ${REDACTED}`],
      ["a lower-case bearer", "bearer xyz", `Bearer ${REDACTED}`],
      ["a JWT", `token ${JWT} expired`, `token ${REDACTED} expired`],
      [
        "a session URL",
        `open https://vault.apideck.com/session/${JWT}`,
        `open https://vault.apideck.com/session/${REDACTED}`,
      ],
      ["a long base64 run", `sig ${"A".repeat(40)}==`, `sig ${REDACTED}`],
      ["a long hex run", `hash ${"f0".repeat(20)}`, `hash ${REDACTED}`],
    ])("redacts %s", (_, text, expected) => {
      expect(scrubText(text)).toBe(expected);
    });

    it("keeps ordinary explanations intact", () => {
      const text =
        "settings.unified_apis[0] must be one of: crm, hris (see https://developers.apideck.com/errors)";

      expect(scrubText(text)).toBe(text);
    });

    it("removes a known secret verbatim, whatever its shape", () => {
      expect(scrubText("the key was hunter2-but-longer", ["hunter2-but-longer"])).toBe(
        `the key was ${REDACTED}`,
      );
    });

    it("turns control, bidi-override and isolate characters into spaces", () => {
      expect(scrubText("a\u0000b\u001b[31mc\u202ed\u2066e\r\nf")).toBe("a b [31mc d e  f");
    });
  });

  describe("toApideckErrorBody", () => {
    it("keeps Apideck's fields as data, scrubbed", () => {
      const text = JSON.stringify({
        type_name: "InvalidStateError",
        message: `Bearer ${API_KEY} is not allowed`,
        detail: { [`field ${API_KEY}`]: [`value ${JWT}`], ok: "redirect_uri is required" },
      });

      expect(toApideckErrorBody(text)).toEqual({
        type_name: "InvalidStateError",
        message: `Bearer ${REDACTED} is not allowed`,
        detail: { [`field ${REDACTED}`]: [`value ${REDACTED}`], ok: "redirect_uri is required" },
      });
    });

    it.each(["Forbidden Request Error", "<script>", "a".repeat(65), 42, { name: "x" }])(
      "drops a type_name that is not a plain identifier: %j",
      (typeName) => {
        expect(toApideckErrorBody(JSON.stringify({ type_name: typeName }))?.type_name).toBeUndefined();
      },
    );

    it(`cuts the message at ${MAX_UPSTREAM_MESSAGE_CHARS} characters`, () => {
      const message = toApideckErrorBody(JSON.stringify({ message: "word ".repeat(1000) }))?.message ?? "";

      expect(message).toHaveLength(MAX_UPSTREAM_MESSAGE_CHARS);
      expect(message.endsWith("…")).toBe(true);
    });

    it(`cuts a detail over ${MAX_UPSTREAM_DETAIL_CHARS} characters of JSON into a JSON string of at most that`, () => {
      const detail = Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`f${i}`, '"quoted" '.repeat(20)]),
      );

      const bounded = toApideckErrorBody(JSON.stringify({ detail }))?.detail;

      expect(typeof bounded).toBe("string");
      expect(JSON.stringify(bounded).length).toBeLessThanOrEqual(MAX_UPSTREAM_DETAIL_CHARS);
    });

    it("bounds the depth and width of a detail", () => {
      let deep: unknown = "bottom";
      for (let i = 0; i < 100; i++) deep = { d: deep };
      const wide = Array.from({ length: 500 }, (_, i) => i);

      const body = toApideckErrorBody(JSON.stringify({ detail: { deep, wide } }));

      expect(body?.detail).toEqual({ deep: { d: { d: { d: "[...]" } } }, wide: wide.slice(0, 50) });
    });

    it("keeps a __proto__ key in a detail as plain data", () => {
      const body = toApideckErrorBody('{"detail":{"__proto__":{"polluted":true}}}');

      expect(Object.hasOwn(body?.detail as object, "__proto__")).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ["an HTML page", "<html><body>502</body></html>"],
      ["a JSON array", "[1,2]"],
      ["JSON null", "null"],
      ["a body over the response cap", undefined],
    ])("is undefined for %s", (_, text) => {
      expect(toApideckErrorBody(text)).toBeUndefined();
    });
  });
});
