import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback HTTP proxy that forwards nothing: it records what was asked of it and refuses. */
export type RefusingProxy = {
  /** `http://127.0.0.1:<port>`, for Chromium's `--proxy-server`. */
  url: string;
  /** Every URL (or `https://host:port` of a CONNECT) a browser tried to reach through it. */
  readonly attempts: string[];
  close(): Promise<void>;
};

/**
 * Starts the proxy Chromium sends every non-loopback request to (Chromium never proxies 127.0.0.1,
 * localhost or [::1]): plain HTTP requests get a 403, HTTPS `CONNECT`s are refused before any TLS,
 * and each attempt is recorded, so a test can fail when its page tried to leave loopback.
 */
export async function startRefusingProxy(): Promise<RefusingProxy> {
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    attempts.push(req.url ?? "");
    res.writeHead(403, { "content-type": "text/plain", connection: "close" }).end("leaves loopback");
  });
  server.on("connect", (req, socket) => {
    attempts.push(`https://${req.url ?? ""}`);
    socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
