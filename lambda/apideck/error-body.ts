import * as z from "zod/mini";
import type { ApideckErrorBody } from "../errors/upstream-errors.ts";

/** Longest Apideck `message` passed on, in characters. */
export const MAX_UPSTREAM_MESSAGE_CHARS = 500;
/** Largest Apideck `detail` passed on, measured as JSON; longer ones are cut into a JSON string. */
export const MAX_UPSTREAM_DETAIL_CHARS = 2048;
/** Deepest Apideck `detail` passed on; deeper values become `"[...]"`. */
const MAX_DETAIL_DEPTH = 4;

/** What replaces anything that looks like a credential. */
export const REDACTED = "[redacted]";

/**
 * The fields we read from Apideck's error bodies (`BadRequestResponse`, `UnprocessableResponse`, ...).
 * Example: `{ "status_code": 422, "error": "Unprocessable Entity", "type_name": "InvalidStateError", "message": "Invalid State", "detail": "..." }`
 */
export const ApideckErrorBodySchema = z.object({
  type_name: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  detail: z.optional(z.unknown()),
});

// Each pattern is a single character class with a bounded or simple quantifier: linear, whatever
// the upstream sends. Order matters: `Bearer <token>` is redacted before its token is.
const CREDENTIALS: readonly RegExp[] = [
  /\bbearer\s+[^\s"',;]+/gi,
  /\b(?:sk|pk|rk|vsb)_[A-Za-z0-9_-]+/g,
  /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g,
  // Long runs of base64, base64url or hex: API keys, session tokens, signatures.
  /[A-Za-z0-9+/_=-]{32,}/g,
];
// Control, bidi-override and isolate characters would let an upstream rewrite how logs and UIs
// show the text; they become spaces.
const INVISIBLE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Apideck's error fields as data the broker checked and bounded: `message` and every string in
 * `detail` scrubbed of anything that looks like a key or bearer token (`knownSecrets`, such as the
 * API key of the call, are removed verbatim first), `message` cut at 500 characters and `detail`
 * at 2 KB of JSON, and `type_name` kept only if it is a plain identifier. Undefined when the body
 * is not Apideck's JSON error shape (HTML pages and the like) or was over the response cap.
 */
export function toApideckErrorBody(
  text: string | undefined,
  knownSecrets: readonly string[] = [],
): ApideckErrorBody | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ApideckErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { type_name: typeName, message, detail } = parsed.data;
  const scrub = (value: string) => scrubText(value, knownSecrets);
  return {
    type_name: typeof typeName === "string" && TYPE_NAME.test(typeName) ? typeName : undefined,
    message: typeof message === "string" ? truncate(scrub(message), MAX_UPSTREAM_MESSAGE_CHARS) : undefined,
    detail: detail === undefined || detail === null ? undefined : boundDetail(detail, scrub),
  };
}

/** Removes what looks like a credential and the characters that could disguise text. */
export function scrubText(value: string, knownSecrets: readonly string[] = []): string {
  let text = value;
  for (const secret of knownSecrets) if (secret.length >= 8) text = text.replaceAll(secret, REDACTED);
  for (const pattern of CREDENTIALS) {
    text = text.replace(pattern, (match) => (/^bearer\s/i.test(match) ? `Bearer ${REDACTED}` : REDACTED));
  }
  return text.replace(INVISIBLE, " ");
}

function boundDetail(detail: unknown, scrub: (value: string) => string): unknown {
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return truncate(scrub(value), MAX_UPSTREAM_DETAIL_CHARS);
    if (typeof value !== "object" || value === null) return value;
    if (depth >= MAX_DETAIL_DEPTH) return "[...]";
    if (Array.isArray(value)) return value.slice(0, 50).map((item) => walk(item, depth + 1));
    const entries = Object.entries(value).slice(0, 50);
    // Keys are scrubbed too; fromEntries builds own properties, so `__proto__` stays a plain key.
    return Object.fromEntries(
      entries.map(([key, item]) => [truncate(scrub(key), 64), walk(item, depth + 1)]),
    );
  };
  const bounded = walk(detail, 0);
  const json = JSON.stringify(bounded);
  if (json.length <= MAX_UPSTREAM_DETAIL_CHARS) return bounded;
  // Too big: a cut JSON text, itself at most the limit once serialized (escapes included).
  let cut = MAX_UPSTREAM_DETAIL_CHARS - 2;
  while (JSON.stringify(truncate(json, cut)).length > MAX_UPSTREAM_DETAIL_CHARS) cut -= 64;
  return truncate(json, cut);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
