import { describe, expect, it } from "vitest";
import {
  KEY_ID_LENGTH,
  KEY_ID_PATTERN,
  KEY_SECRET_LENGTH,
  MalformedBrokerKeyError,
  mintBrokerKey,
  parseBearerBrokerKey,
  parseBrokerKey,
} from "../../../lambda/broker-keys/key-format.ts";

const SAMPLE = `vsb_abcdefgh2345_${"A1b2C3d4E5".repeat(4)}Zz09`;

describe("Unit: broker key format", () => {
  it("mints keys of the form vsb_<12 base32>_<44 base62>", () => {
    const key = mintBrokerKey();

    expect(key.text).toMatch(/^vsb_[a-z2-7]{12}_[0-9A-Za-z]{44}$/);
    expect(key.text).toBe(`vsb_${key.id}_${key.secret}`);
    expect(key.id).toMatch(KEY_ID_PATTERN);
    expect(KEY_SECRET_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(256);
  });

  it("mints a different key every time", () => {
    const keys = new Set(Array.from({ length: 1_000 }, () => mintBrokerKey().text));

    expect(keys.size).toBe(1_000);
  });

  it("draws secret characters uniformly (no modulo bias)", () => {
    // With `byte % 62` and no rejection, 8 characters would come up 25% more often than the rest;
    // over 440,000 characters random variation stays far below the 15% this allows.
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      for (const char of mintBrokerKey().secret) counts.set(char, (counts.get(char) ?? 0) + 1);
    }

    const values = [...counts.values()];
    expect(counts.size).toBe(62);
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.15);
  });

  it("parses its own keys back into id and secret", () => {
    const key = mintBrokerKey();

    expect(parseBrokerKey(key.text)).toEqual({ id: key.id, secret: key.secret });
  });

  it.each([
    ["an empty string", ""],
    ["an Apideck key", "sk_live_0123456789abcdef0123456789abcdef"],
    ["a wrong prefix", SAMPLE.replace("vsb_", "vsk_")],
    ["an upper-case id", SAMPLE.replace("abcdefgh2345", "ABCDEFGH2345")],
    ["an id with 0, 1, 8 or 9 (not base32)", SAMPLE.replace("abcdefgh2345", "abcdefgh0189")],
    ["a short id", SAMPLE.replace("abcdefgh2345", "abcdefgh234")],
    ["a short secret", SAMPLE.slice(0, -1)],
    ["a long secret", `${SAMPLE}x`],
    ["base64url characters in the secret", `${SAMPLE.slice(0, -2)}-_`],
    ["a trailing newline", `${SAMPLE}\n`],
    ["surrounding spaces", ` ${SAMPLE} `],
    ["a huge string", `${SAMPLE}${"x".repeat(100_000)}`],
  ])("refuses %s", (_name, text) => {
    expect(() => parseBrokerKey(text)).toThrow(MalformedBrokerKeyError);
  });

  it("reads the key from a Bearer Authorization header, scheme in any case", () => {
    expect(parseBearerBrokerKey(`Bearer ${SAMPLE}`).id).toBe("abcdefgh2345");
    expect(parseBearerBrokerKey(`bearer ${SAMPLE}`).id).toBe("abcdefgh2345");
    expect(parseBearerBrokerKey(`BEARER  ${SAMPLE}`).id).toBe("abcdefgh2345");
  });

  it.each([
    ["no header", undefined],
    ["a bare key", SAMPLE],
    ["Basic credentials", `Basic ${SAMPLE}`],
    ["a SigV4 header", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/execute-api/aws4_request"],
    ["two keys", `Bearer ${SAMPLE} ${SAMPLE}`],
    ["a JWT", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"],
    ["an oversized header", `Bearer ${"x".repeat(10_000)}`],
  ])("refuses %s as an Authorization header", (_name, header) => {
    expect(() => parseBearerBrokerKey(header)).toThrow(MalformedBrokerKeyError);
  });

  it("names the error with a literal string and never quotes the header", () => {
    const error = (() => {
      try {
        parseBearerBrokerKey(`Bearer ${SAMPLE.slice(0, -1)}`);
      } catch (e) {
        return e as Error;
      }
    })();

    expect(error?.name).toBe("MalformedBrokerKeyError");
    expect(error?.message).not.toContain(SAMPLE.slice(4, 20));
  });

  it(`uses ids of ${KEY_ID_LENGTH} characters`, () => {
    expect(mintBrokerKey().id).toHaveLength(KEY_ID_LENGTH);
  });
});
