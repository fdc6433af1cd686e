import { ApideckErrorBodySchema } from "./apideck-response-schema.ts";
import type { ApideckErrorBody } from "./errors/upstream-errors.ts";

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
