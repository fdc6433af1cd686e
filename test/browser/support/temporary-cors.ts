import { readBody, startLoopbackServer, writeAnswer } from "../../../infra/local/loopback-server.ts";

// TEMPORARY, until the local gateway implements CORS_ORIGINS (issue 10, branch edge): a loopback
// proxy in front of the gateway that answers preflights and adds CORS headers for `origins` only.

/** Starts the pass-through; returns its URL and a close function. */
export async function startTemporaryCors(gatewayUrl: () => string, origins: string[]) {
  return startLoopbackServer(async (req, res) => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && origins.includes(origin);
    const cors: Record<string, string> = allowed
      ? {
          "access-control-allow-origin": origin,
          "access-control-expose-headers": "x-vault-session-expires-at",
          vary: "origin",
        }
      : {};
    if (req.method === "OPTIONS") {
      const headers = allowed
        ? {
            ...cors,
            "access-control-allow-methods": "POST",
            "access-control-allow-headers": "authorization,content-type",
          }
        : {};
      return writeAnswer(res, { status: allowed ? 204 : 403, headers, body: "" });
    }
    const body = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name !== "host" && name !== "content-length"),
    ) as Record<string, string>;
    const answer = await fetch(`${gatewayUrl()}${req.url}`, {
      method: req.method ?? "GET",
      headers,
      ...(body === "" ? {} : { body }),
    });
    const answerHeaders: Record<string, string> = { ...cors };
    answer.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding" && name !== "connection")
        answerHeaders[name] = value;
    });
    writeAnswer(res, { status: answer.status, headers: answerHeaders, body: await answer.text() });
  });
}
