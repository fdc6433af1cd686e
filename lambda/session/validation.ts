import { toFieldProblems } from "../errors/field-problems.ts";
import { SessionValidationError } from "../errors/request-errors.ts";
import { type Session, SessionSchema } from "./schema.ts";

/** Deeper than any real `Session` (whose own schema is 3 levels) plus room for custom settings. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `value` nests objects or arrays deeper than `maxDepth`. Iterative, so a hostile
 * 8 KB body of `[[[[...` cannot overflow the stack here, and no later recursion meets it.
 */
export function exceedsDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

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
