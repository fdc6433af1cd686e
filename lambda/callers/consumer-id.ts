import { MissingConsumerIdError, SessionValidationError } from "../errors/request-errors.ts";

/** Apideck does not document a limit; ids are usually tenant keys such as `account:12345`. */
export const MAX_CONSUMER_ID_LENGTH = 256;

// Printable ASCII only: the id travels upstream in an HTTP header, which carries bytes, not
// Unicode (fetch refuses anything above U+00FF), and CR/LF or other control characters could split
// it. No leading or trailing space either: that would silently name a different consumer.
const CONSUMER_ID_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Checks a consumer id from any source (`field` names it for the error) and returns it unchanged.
 * Throws `MissingConsumerIdError` when absent or empty, `SessionValidationError` when malformed
 * (including any comma).
 */
export function checkConsumerId(value: unknown, field: string): string {
  if (value === undefined || value === null || value === "") throw new MissingConsumerIdError(field);
  if (typeof value !== "string")
    throw new SessionValidationError([{ path: field, problem: "must be a string" }]);
  if (value.length > MAX_CONSUMER_ID_LENGTH) {
    throw new SessionValidationError([
      { path: field, problem: `must be at most ${MAX_CONSUMER_ID_LENGTH} characters` },
    ]);
  }
  if (!CONSUMER_ID_PATTERN.test(value)) {
    throw new SessionValidationError([
      { path: field, problem: "must be printable ASCII, without leading or trailing spaces" },
    ]);
  }
  // On every route: API Gateway joins a repeated header's values with commas, and scopes are
  // comma-separated lists, so an id with a comma could be two ids or match as one it is not.
  if (value.includes(",")) {
    throw new SessionValidationError([
      { path: field, problem: "must not contain commas (a repeated header arrives joined by commas)" },
    ]);
  }
  return value;
}
