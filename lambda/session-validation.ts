import { SessionValidationError } from "./errors/request-errors.ts";
import { exceedsDepth, MAX_JSON_DEPTH } from "./json-depth.ts";
import { type Session, SessionSchema } from "./session-schema.ts";
import { toFieldProblems } from "./zod-problems.ts";

/**
 * Validates a request body against the `Session` schema. No body (undefined or null) is Apideck's
 * empty session. Throws `SessionValidationError` naming every invalid field.
 */
export function validateSession(body: unknown): Session {
  if (body === undefined || body === null) return {};
  if (exceedsDepth(body)) {
    throw new SessionValidationError([
      { path: "(body)", problem: `must not nest deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
  const parsed = SessionSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw new SessionValidationError(toFieldProblems(parsed.error.issues));
  return parsed.data;
}
