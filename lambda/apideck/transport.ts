import type { Agent, IncomingMessage, RequestOptions } from "node:http";
import { createRequire } from "node:module";
import { pipeline, type Readable, type Transform } from "node:stream";
import type * as Zlib from "node:zlib";

/** One request as the Apideck client sends it. */
export interface TransportRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signal: AbortSignal;
}

/**
 * An answer's status, headers and DECODED body, pulled chunk by chunk (a `Response` has this shape
 * too). Leaving the body's iteration early stops decoding and closes the connection.
 */
export interface TransportResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Uint8Array> | null;
}

/** Sends one request; rejects with the signal's reason when it aborts, or with the socket's error. */
export type ApideckTransport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

// `require`, not ESM imports: the ESM namespace of node:http evaluates its lazy `WebSocket` getter,
// which loads undici (about 95 ms of a cold start) though nothing here uses it.
const load = createRequire(import.meta.url);

/** Sockets per origin: one request per invocation needs one; a few absorb overlapping retries. */
const MAX_SOCKETS = 8;

/**
 * The production transport: `node:https` (`node:http` for the loopback simulator) with one
 * keep-alive agent per protocol for the instance's lifetime, no redirects followed, and the body
 * decoded here (gzip, deflate, br, zstd) so that the caller counts decoded bytes.
 */
export function createNodeTransport(): ApideckTransport {
  const agents = new Map<string, Agent>();
  return (url, request) => {
    const target = new URL(url);
    const http = load(
      target.protocol === "https:" ? "node:https" : "node:http",
    ) as typeof import("node:https");
    let agent = agents.get(target.protocol);
    if (agent === undefined) {
      agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
      agents.set(target.protocol, agent);
    }
    const options: RequestOptions = {
      method: request.method,
      headers: { ...request.headers, "accept-encoding": "gzip, deflate, br, zstd" },
      agent,
    };
    return send(http, target, options, request);
  };
}

function send(
  http: typeof import("node:https"),
  target: URL,
  options: RequestOptions,
  { body, signal }: TransportRequest,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const req = http.request(target, options);
    let decoded: Readable | undefined;
    const onAbort = () => {
      req.destroy(signal.reason);
      decoded?.destroy(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
    req.on("response", (res: IncomingMessage) => {
      decoded = decode(res);
      decoded.once("close", () => signal.removeEventListener("abort", onAbort));
      resolve({ status: res.statusCode ?? 0, headers: headerReader(res), body: decoded });
    });
    req.end(body);
  });
}

/** The body through a decoder per content-coding, last applied first; unknown codings stay raw. */
function decode(res: IncomingMessage): Readable {
  const codings = (res.headers["content-encoding"] ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity")
    .reverse();
  const decoders: Transform[] = [];
  for (const coding of codings) {
    const decoder = decoderFor(coding);
    // Like fetch: a coding we cannot decode leaves the body as it came (then it is not JSON).
    if (decoder === undefined) return res;
    decoders.push(decoder);
  }
  const last = decoders.at(-1);
  if (last === undefined) return res;
  // pipeline destroys every stage, the socket's included, when any stage ends early or fails.
  pipeline([res, ...decoders], () => {});
  return last;
}

function decoderFor(coding: string): Transform | undefined {
  const zlib = load("node:zlib") as typeof Zlib;
  if (coding === "gzip" || coding === "x-gzip") return zlib.createGunzip();
  if (coding === "deflate") return zlib.createInflate();
  if (coding === "br") return zlib.createBrotliDecompress();
  if (coding === "zstd") return zlib.createZstdDecompress();
  return undefined;
}

function headerReader(res: IncomingMessage): TransportResponse["headers"] {
  return {
    get(name) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : String(value);
    },
  };
}
