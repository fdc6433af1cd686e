import * as z from "zod/mini";
import { isHttpUrl } from "../session/url-rules.ts";
import type { TransportResponse } from "./transport.ts";

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

/** A session answer is well under 4 KB; anything past this, once decoded, is not Apideck's answer. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Reads the body as text, counting DECODED bytes as they stream in and giving up (undefined) as
 * soon as they pass `maxBytes`, so at most `maxBytes` plus one chunk is ever buffered. Neither
 * `content-length` nor `content-encoding` is trusted: the transport decodes gzip, br, deflate and
 * zstd, so a 268-byte brotli body can decode to 100 MB, and a declared length counts the encoded
 * bytes only. Reads by the stream's events (an async iterator costs about 20 µs more per warm
 * request, `npm run bench:ab`); destroying the stream on the first byte past the cap stops the
 * decoder and closes the socket. Honours the request's signal (the body errors when it aborts).
 */
export function readResponseText(
  response: TransportResponse,
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<string | undefined> {
  const body = response.body;
  if (body === null) return Promise.resolve("");
  // Already torn down (its `close` came and went): no event below would ever settle the read.
  if (body.destroyed) return Promise.reject(body.errored ?? new Error("the answer's body ended early"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      body.off("data", onData);
      body.destroy();
      resolve(undefined);
    };
    body.on("data", onData);
    body.once("end", () => resolve(Buffer.concat(chunks, size).toString("utf8")));
    // A stream destroyed with an error (the request's signal aborted, the socket reset) rejects.
    body.once("error", reject);
    body.once("close", () => {
      if (!body.readableEnded) reject(body.errored ?? new Error("the answer's body ended early"));
    });
  });
}
