import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Handles one request. `signal` aborts when the client disconnects before the answer is finished,
 * or when the server closes, so a deliberate delay can stop at once.
 */
export type LoopbackHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
) => Promise<void>;

/** A running loopback HTTP server. */
export type LoopbackServer = {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:53122`. */
  url: string;
  /** Stops listening, ends pending waits and destroys every socket, idle keep-alive ones included. */
  close(): Promise<void>;
};

/** A fully computed HTTP answer, ready to be written (or mangled by a fault). */
export type HttpAnswer = { status: number; headers: Record<string, string>; body: string };

/** Writes `answer` with an exact Content-Length and ends the response. */
export function writeAnswer(res: ServerResponse, answer: HttpAnswer): void {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
  res.end(body);
}

/** Starts an HTTP server on 127.0.0.1 (`port` 0, the default, picks a free one). */
export async function startLoopbackServer(handler: LoopbackHandler, port = 0): Promise<LoopbackServer> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    const left = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) left.abort();
    });
    handler(req, res, AbortSignal.any([left.signal, closing.signal])).catch(() => {
      // A handler only throws when the socket already failed (client gone mid-request): nothing to answer.
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${bound}`,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // server.close() alone waits for keep-alive and hung sockets; these must go too.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Reads a request body as UTF-8 text, refusing more than `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new Error(`request body exceeds ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Flattens Node's header object: names are already lower-case; repeated values join with ", ". */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** Waits `ms`; resolves false instead when `signal` aborts first (client gone or server closing). */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
