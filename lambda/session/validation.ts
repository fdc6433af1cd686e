import { toFieldProblems } from "../errors/field-problems.ts";
import { SessionValidationError } from "../errors/request-errors.ts";
import { type Session, SessionSchema } from "./schema.ts";

/**
 * Largest request accepted, measured as JSON bytes, on every entry point: an HTTP body as sent,
 * a direct invocation's payload as serialized. A full `Session` with every field is about 2 KB.
 */
export const MAX_BODY_BYTES = 16 * 1024;

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
 * True when `value` (a parsed JSON value) serializes to more than `maxBytes` UTF-8 bytes of JSON.
 * Iterative and stops as soon as the count passes the limit, so a payload of megabytes costs no
 * more than one at the limit; exact for JSON values (a property test compares it with JSON.stringify).
 */
export function exceedsJsonBytes(value: unknown, maxBytes: number): boolean {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === "string") bytes += node.length > maxBytes ? maxBytes + 1 : stringBytes(node);
    else if (typeof node !== "object" || node === null) bytes += String(JSON.stringify(node) ?? null).length;
    else {
      const children = Array.isArray(node) ? node : Object.entries(node);
      // Brackets, and a comma between children.
      bytes += 2 + Math.max(0, children.length - 1);
      for (const child of children) {
        if (Array.isArray(node)) stack.push(child);
        else {
          const [key, item] = child as [string, unknown];
          bytes += stringBytes(key) + 1;
          stack.push(item);
        }
      }
    }
    if (bytes > maxBytes) return true;
  }
  return false;
}

function stringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
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
