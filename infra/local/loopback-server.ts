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

/**
 * Whether a `Host` header names this server: 127.0.0.1, localhost or [::1] with the port it
 * listens on (the port may be left out only when it is 80, as HTTP clients do). Any other name
 * means the request came through DNS that points elsewhere at loopback: DNS rebinding.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  const match = /^(127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i.exec(host ?? "");
  if (match === null) return false;
  return match[2] === undefined ? port === 80 : Number(match[2]) === port;
}

/** The answer to a request whose Host is not loopback: nothing else about it is looked at. */
const FOREIGN_HOST: HttpAnswer = {
  status: 403,
  headers: { "content-type": "application/json", connection: "close" },
  body: JSON.stringify({
    message: "Forbidden: this local server answers only Host 127.0.0.1, localhost or [::1] with its port",
  }),
};

/**
 * Starts an HTTP server on 127.0.0.1 (`port` 0, the default, picks a free one). Every request is
 * first checked for a loopback `Host` (see `isLoopbackHost`): a web page that rebinds its own
 * domain to 127.0.0.1 gets a 403 before the handler runs, and the refusal is logged on stderr.
 */
export async function startLoopbackServer(handler: LoopbackHandler, port = 0): Promise<LoopbackServer> {
  const closing = new AbortController();
  let bound = port;
  const server = createServer((req, res) => {
    if (!isLoopbackHost(req.headers.host, bound)) {
      logForeignHost(req.headers.host, bound);
      return writeAnswer(res, FOREIGN_HOST);
    }
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
  bound = (server.address() as AddressInfo).port;
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

/** Reads a request body's bytes, refusing more than `limitBytes`. */
export async function readBodyBytes(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new Error(`request body exceeds ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a request body as UTF-8 text, refusing more than `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<string> {
  return (await readBodyBytes(req, limitBytes)).toString("utf8");
}

// One JSON line on stderr, like the local gateway's refusals; the Host value is cut short.
function logForeignHost(host: string | undefined, port: number): void {
  process.stderr.write(
    `${JSON.stringify({
      level: "WARN",
      message: "local server refused a request for a Host that is not loopback",
      source: "loopback-server",
      port,
      host: (host ?? "(none)").slice(0, 100),
    })}\n`,
  );
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
