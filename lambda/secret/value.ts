import { SecretFormatError } from "../errors/configuration-errors.ts";

// Apideck keys are opaque tokens; this only rules out values that cannot be a key at all.
const API_KEY_PATTERN = /^[\x21-\x7e]{8,1024}$/;

/**
 * Reads the Apideck API key out of a secret's `SecretString`: either the key itself, or JSON
 * `{"apiKey": "..."}`. Anything else throws `SecretFormatError`, whose message never quotes the value.
 */
export function parseApiKeySecret(secretString: string | undefined): string {
  if (secretString === undefined)
    throw new SecretFormatError("it has no SecretString (binary secrets are not supported)");
  const value = secretString.trim();
  // A value that looks like JSON (an object, a quoted string, an array) must be the documented
  // object: a quoted key would otherwise be sent with its quotes and fail later as a "wrong key".
  if (/^[{["]/.test(value)) return apiKeyFromJson(value);
  if (!API_KEY_PATTERN.test(value)) {
    throw new SecretFormatError('expected the API key as a plain string or as JSON {"apiKey": "..."}');
  }
  return value;
}

function apiKeyFromJson(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new SecretFormatError("it looks like JSON but is not valid JSON");
  }
  const apiKey = (parsed as { apiKey?: unknown }).apiKey;
  if (typeof apiKey !== "string" || !API_KEY_PATTERN.test(apiKey)) {
    throw new SecretFormatError("the JSON has no string field apiKey holding a key");
  }
  return apiKey;
}
