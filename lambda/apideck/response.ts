import * as z from "zod/mini";
import type { ApideckErrorBody } from "../errors/upstream-errors.ts";
import { isHttpUrl } from "../session/url-rules.ts";

/**
 * Apideck's `CreateSessionResponse` (vault.yml). Validated so that contract drift becomes a typed
 * `UpstreamInvalidResponseError`, not a broken redirect. Unknown keys (such as `_raw`) are dropped.
 * Example: `{ "status_code": 200, "status": "OK", "data": { "session_uri": "https://vault.apideck.com/session/eyJ...", "session_token": "eyJ..." } }`
 */
export const CreateSessionResponseSchema = z.object({
  status_code: z.number(),
  status: z.string(),
  data: z.object({
    session_uri: z.string().check(z.refine(isHttpUrl, "must be an absolute http(s) URL")),
    session_token: z.string().check(z.minLength(1), z.maxLength(16_384)),
  }),
});

/** A validated `CreateSessionResponse`. */
export type CreateSessionResponse = z.infer<typeof CreateSessionResponseSchema>;

/**
 * The fields we use from Apideck's error bodies (`BadRequestResponse`, `UnprocessableResponse`, ...).
 * Example: `{ "status_code": 422, "error": "Unprocessable Entity", "type_name": "InvalidStateError", "message": "Invalid State", "detail": "..." }`
 */
export const ApideckErrorBodySchema = z.object({
  type_name: z.optional(z.string().check(z.maxLength(200))),
  message: z.optional(z.string().check(z.maxLength(2000))),
  detail: z.optional(z.unknown()),
});

/** A session answer is well under 4 KB; anything past this is not Apideck's answer. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Reads the body as text, giving up past `MAX_RESPONSE_BYTES` (then undefined), so a misbehaving
 * upstream or proxy cannot make the function buffer an unbounded body. Honours the fetch's signal.
 */
export async function readResponseText(response: Response): Promise<string | undefined> {
  if (response.body === null) return "";
  // Fast path for the usual answer: a declared length within the limit. fetch enforces the
  // declared length, so text() cannot read more; the chunk loop below is for chunked bodies.
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared <= MAX_RESPONSE_BYTES) return response.text();
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Leaving the loop early cancels the stream, which closes the connection.
    if (size > MAX_RESPONSE_BYTES) break;
    chunks.push(chunk);
  }
  return size > MAX_RESPONSE_BYTES ? undefined : Buffer.concat(chunks).toString("utf8");
}

/** Apideck's error fields when the body is its JSON error shape; undefined for HTML pages and the like. */
export function toApideckErrorBody(text: string | undefined): ApideckErrorBody | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = ApideckErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
