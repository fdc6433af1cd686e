import { CreateSessionResponseSchema, readResponseText } from "./response.ts";

/** A canned Create Session answer as a data: URL: fetch serves it without any network. */
const WARM_UP_URL = `data:application/json,${encodeURIComponent(
  JSON.stringify({
    status_code: 200,
    status: "OK",
    data: { session_uri: "https://vault.apideck.com/session/warm-up", session_token: "warm-up" },
  }),
)}`;

/**
 * Runs the answer's path once on a canned response, for INIT: Node loads undici (fetch) lazily at
 * the first call, and V8 compiles functions at their first run, both costs the first request would
 * otherwise pay at a 256 MB function's fraction of a core. No network, no secret. Never rejects:
 * a warm-up that fails leaves the request path as it was.
 */
export async function warmUpFetch(fetchFn: typeof fetch = fetch): Promise<void> {
  try {
    const text = await readResponseText(await fetchFn(WARM_UP_URL));
    if (text !== undefined) CreateSessionResponseSchema.safeParse(JSON.parse(text));
  } catch {
    // Nothing to do: the first request loads and compiles what it needs, as without a warm-up.
  }
}
