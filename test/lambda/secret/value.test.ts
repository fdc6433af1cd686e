import { describe, expect, it } from "vitest";
import { SecretFormatError } from "../../../lambda/errors/configuration-errors.ts";
import { parseApiKeySecret } from "../../../lambda/secret/value.ts";
import { API_KEY } from "../fixtures.ts";

/** Runs the parser and returns the `SecretFormatError` it throws. */
function formatError(secretString: string | undefined): SecretFormatError {
  try {
    parseApiKeySecret(secretString);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretFormatError);
    return error as SecretFormatError;
  }
  throw new Error("parseApiKeySecret accepted the secret");
}

describe("Unit: secret value", () => {
  it("reads a plain string as the key", () => {
    expect(parseApiKeySecret(API_KEY)).toBe(API_KEY);
  });

  it("trims the whitespace a console paste leaves around a plain key", () => {
    expect(parseApiKeySecret(`  ${API_KEY}\n`)).toBe(API_KEY);
  });

  it("reads the key from JSON {apiKey}", () => {
    expect(parseApiKeySecret(JSON.stringify({ apiKey: API_KEY }))).toBe(API_KEY);
  });

  it("reads the key from pretty-printed JSON with other fields", () => {
    const secret = `\n${JSON.stringify({ apiKey: API_KEY, rotatedAt: "2025-11-22" }, null, 2)}\n`;

    expect(parseApiKeySecret(secret)).toBe(API_KEY);
  });

  it("says a value starting with { is not valid JSON", () => {
    expect(formatError(`{"apiKey": "${API_KEY}"`).message).toBe(
      "The Apideck API key secret is malformed: it looks like JSON but is not valid JSON.",
    );
  });

  it.each([
    ["a JSON-quoted key", JSON.stringify(API_KEY)],
    ["a JSON array", JSON.stringify([API_KEY])],
  ])("rejects %s instead of sending it with its quotes", (_name, secret) => {
    expect(formatError(secret).message).toMatch(/no string field apiKey/);
  });

  it.each([
    ["without apiKey", { api_key: API_KEY }],
    ["with a numeric apiKey", { apiKey: 12345678 }],
    ["with a null apiKey", { apiKey: null }],
    ["with an apiKey too short to be one", { apiKey: "short" }],
    ["with an apiKey containing spaces", { apiKey: "sk live key with spaces" }],
  ])("rejects JSON %s", (_, value) => {
    expect(formatError(JSON.stringify(value)).message).toBe(
      "The Apideck API key secret is malformed: the JSON has no string field apiKey holding a key.",
    );
  });

  it.each([
    ["an empty string", ""],
    ["only whitespace", "   \n"],
    ["a value too short to be a key", "sk_1"],
    ["a plain value with spaces", "my api key"],
    ["a value with a control character", "sk_live_\u0007abcdef"],
    ["a value longer than 1024 characters", "k".repeat(1025)],
  ])("rejects %s", (_, value) => {
    expect(formatError(value).message).toMatch(/^The Apideck API key secret is malformed: /);
  });

  it("rejects a binary secret (no SecretString)", () => {
    expect(formatError(undefined).message).toBe(
      "The Apideck API key secret is malformed: it has no SecretString (binary secrets are not supported).",
    );
  });

  it.each([
    ["malformed JSON", `{"apiKey": "${API_KEY}"`],
    ["JSON with the key under another name", JSON.stringify({ key: API_KEY })],
    ["a key with a space in it", `${API_KEY} ${API_KEY}`],
  ])("never quotes the secret's value in the error for %s", (_, value) => {
    expect(formatError(value).message).not.toContain(API_KEY);
  });
});
