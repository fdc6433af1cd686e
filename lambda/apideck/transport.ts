import type { Agent, IncomingMessage, RequestOptions } from "node:http";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
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
 * An answer's status, headers and DECODED body, as a Node stream. Destroying the body before its
 * end stops decoding and closes the connection.
 */
export interface TransportResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: Readable | null;
}

/** Sends one request; rejects with the signal's reason when it aborts, or with the socket's error. */
export type ApideckTransport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

// `require`, not ESM imports: the ESM namespace of node:http evaluates its lazy `WebSocket` getter,
// which loads undici (about 95 ms of a cold start) though nothing here uses it.
const load = createRequire(import.meta.url);

/** Sockets per origin: one request per invocation needs one; a few absorb overlapping retries. */
const MAX_SOCKETS = 8;

/**
 * How long an idle connection may be reused: undici's (fetch's) default. A server closes idle
 * connections after its own timeout, unknown here; reusing one it already closed costs a reset and
 * a retry (the client retries network errors).
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** @default IDLE_SOCKET_TIMEOUT_MS */
  readonly idleSocketTimeoutMs?: number;
  /** Wall clock for the idle check. @default Date.now */
  readonly now?: () => number;
}

/** When each pooled socket last finished a request. */
const idleSince = new WeakMap<Socket, number>();

/**
 * The production transport: `node:https` (`node:http` for the loopback simulator) with one
 * keep-alive agent per protocol for the instance's lifetime, no redirects followed, and the body
 * decoded here (gzip, deflate, br, zstd) so that the caller counts decoded bytes.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): ApideckTransport {
  const { idleSocketTimeoutMs = IDLE_SOCKET_TIMEOUT_MS, now = Date.now } = options;
  const agents = new Map<string, Agent>();
  // The client calls one URL for the instance's life: parsed once, not on every request.
  const targets = new Map<string, Target>();
  return (url, request) => {
    let target = targets.get(url);
    if (target === undefined) {
      target = targetOf(new URL(url));
      targets.set(url, target);
    }
    let agent = agents.get(target.protocol);
    if (agent === undefined) {
      agent = pooledAgent(target.http, now);
      agents.set(target.protocol, agent);
    } else {
      dropStaleSockets(agent, idleSocketTimeoutMs, now());
    }
    const requestOptions: RequestOptions = {
      ...target.options,
      method: request.method,
      headers: { ...request.headers, "accept-encoding": "gzip, deflate, br, zstd" },
      agent,
    };
    return send(target.http, requestOptions, request);
  };
}

/** A keep-alive agent that notes when each socket goes back to the pool. */
function pooledAgent(http: typeof import("node:https"), now: () => number): Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  agent.on("free", (socket: Socket) => idleSince.set(socket, now()));
  return agent;
}

/**
 * Destroys pooled sockets idle for `idleMs` or longer, by the wall clock, just before a request
 * picks one. A timer would not do in Lambda: a frozen instance runs none, and after a thaw the
 * request can take a socket from the pool before an overdue timer has fired. An idle socket stays
 * open until then (or until the server closes it, which removes it from the pool). The pool lists
 * sockets in the order they became free, and the agent skips destroyed sockets only at its front
 * (it takes the last one): so only a run from the front is destroyed, stopping at the first fresh
 * socket, which holds even if the clock steps back.
 */
function dropStaleSockets(agent: Agent, idleMs: number, at: number): void {
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets ?? []) {
      if (at - (idleSince.get(socket as Socket) ?? at) < idleMs) break;
      socket.destroy();
    }
  }
}

/** Where a URL's requests go, in node:http's terms, and the module that speaks its protocol. */
interface Target {
  readonly protocol: string;
  readonly http: typeof import("node:https");
  readonly options: Pick<RequestOptions, "protocol" | "hostname" | "port" | "path">;
}

function targetOf(url: URL): Target {
  return {
    protocol: url.protocol,
    http: load(url.protocol === "https:" ? "node:https" : "node:http") as typeof import("node:https"),
    options: {
      protocol: url.protocol,
      // A URL keeps an IPv6 literal in brackets ("[::1]"); node:http wants the bare address.
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
    },
  };
}

function send(
  http: typeof import("node:https"),
  options: RequestOptions,
  { body, signal }: TransportRequest,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const req = http.request(options);
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
