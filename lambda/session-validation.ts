import { SessionValidationError } from "./errors/request-errors.ts";
import { type Session, SessionSchema } from "./session-schema.ts";
import { toFieldProblems } from "./zod-problems.ts";

/**
 * Validates a request body against the `Session` schema. No body (undefined or null) is Apideck's
 * empty session. Throws `SessionValidationError` naming every invalid field.
 */
export function validateSession(body: unknown): Session {
  if (body === undefined || body === null) return {};
  const parsed = SessionSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw new SessionValidationError(toFieldProblems(parsed.error.issues));
  return parsed.data;
}
