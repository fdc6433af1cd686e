import { Readable } from "node:stream";
import { CreateSessionResponseSchema, readResponseText } from "./response.ts";
import type { TransportResponse } from "./transport.ts";

/** A canned Create Session answer, served from memory: no network, no secret. */
export const WARM_UP_BODY = JSON.stringify({
  status_code: 200,
  status: "OK",
  data: { session_uri: "https://vault.apideck.com/session/warm-up", session_token: "warm-up" },
});

/**
 * Runs the answer's path once on a canned in-memory response, for INIT: V8 compiles functions at
 * their first run, a cost the first request would otherwise pay at a 256 MB function's fraction of
 * a core. Loads nothing (the transport's modules already are). Never rejects: a warm-up that fails
 * leaves the request path as it was.
 */
export async function warmUpAnswerPath(
  response: TransportResponse = cannedResponse(WARM_UP_BODY),
): Promise<void> {
  try {
    const text = await readResponseText(response);
    if (text !== undefined) CreateSessionResponseSchema.safeParse(JSON.parse(text));
  } catch {
    // Nothing to do: the first request compiles what it needs, as without a warm-up.
  }
}

/** A 200 whose body is `text`, in one chunk, as a stream like the transport's (the path it warms). */
export function cannedResponse(text: string): TransportResponse {
  return {
    status: 200,
    headers: { get: (name) => (name.toLowerCase() === "content-type" ? "application/json" : null) },
    body: Readable.from([Buffer.from(text)]),
  };
}
