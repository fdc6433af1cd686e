import type { ServerResponse } from "node:http";
import { apideckErrorBody, proxyErrorPage } from "./apideck-error-bodies.ts";
import { type HttpAnswer, pause, writeAnswer } from "./loopback-server.ts";

/**
 * A misbehaviour the Apideck simulator plays instead of (or around) its normal answer:
 * - `status`: an Apideck-shaped JSON error for `status` (or `body`), with an optional `Retry-After`;
 * - `hang`: waits `ms` then answers normally; ends early when the client leaves or the simulator closes;
 * - `reset`: destroys the socket before writing anything, or after the headers and half the body;
 * - `html`: a proxy's HTML error page; `json`: any JSON body with any status (e.g. a 200 of the wrong shape);
 * - `trickle`: the normal answer, written 8 bytes at a time with `chunkDelayMs` between writes;
 * - `raw`: exactly these bytes with exactly these headers (a precompressed body with its
 *   `content-encoding`, a `content-length` that lies, or none: chunked), then the socket closes.
 */
export type SimulatorFault =
  | { kind: "status"; status: number; retryAfter?: string; body?: unknown }
  | { kind: "hang"; ms: number }
  | { kind: "reset"; when: "before-response" | "mid-body" }
  | { kind: "html"; status: number }
  | { kind: "json"; status: number; body: unknown }
  | { kind: "trickle"; chunkDelayMs: number }
  | { kind: "raw"; status: number; headers: Record<string, string>; body: Uint8Array };

/** Builds a JSON answer with the headers Apideck sends. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

const trickleChunkBytes = 8;

/**
 * Writes `normal` to `res`, or what `fault` turns it into. `signal` aborts when the client disconnects
 * or the simulator closes, so waits end at once and never hold `close()` back.
 */
export async function playAnswer(
  res: ServerResponse,
  normal: HttpAnswer,
  fault: SimulatorFault | undefined,
  signal: AbortSignal,
): Promise<void> {
  switch (fault?.kind) {
    case undefined:
      return writeAnswer(res, normal);
    case "status": {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
      return writeAnswer(
        res,
        jsonAnswer(fault.status, fault.body ?? apideckErrorBody(fault.status), headers),
      );
    }
    case "json":
      return writeAnswer(res, jsonAnswer(fault.status, fault.body));
    case "html":
      return writeAnswer(res, {
        status: fault.status,
        headers: { "content-type": "text/html" },
        body: proxyErrorPage(fault.status),
      });
    case "hang":
      if (await pause(fault.ms, signal)) return writeAnswer(res, normal);
      res.destroy();
      return;
    case "reset":
      if (fault.when === "before-response") {
        res.destroy();
        return;
      }
      return resetMidBody(res, normal);
    case "trickle":
      return trickle(res, normal, fault.chunkDelayMs, signal);
    case "raw":
      return writeRaw(res, fault);
  }
}

function resetMidBody(res: ServerResponse, answer: HttpAnswer): Promise<void> {
  const body = Buffer.from(answer.body);
  // The full Content-Length is announced so the client knows the body was cut short.
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
  return new Promise((resolve) => {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
      res.destroy();
      resolve();
    });
  });
}

async function trickle(res: ServerResponse, answer: HttpAnswer, delayMs: number, signal: AbortSignal) {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
  res.flushHeaders();
  for (let offset = 0; offset < body.length; offset += trickleChunkBytes) {
    if (offset > 0 && !(await pause(delayMs, signal))) {
      res.destroy();
      return;
    }
    res.write(body.subarray(offset, offset + trickleChunkBytes));
  }
  res.end();
}

/**
 * Writes the fault's bytes as they are: no encoding, no computed length (without a
 * `content-length` header Node sends the body chunked). The socket is closed afterwards, because a
 * length that lies leaves the connection out of step, and a real server would drop it too.
 */
function writeRaw(res: ServerResponse, fault: Extract<SimulatorFault, { kind: "raw" }>): Promise<void> {
  res.writeHead(fault.status, { ...fault.headers, connection: "close" });
  return new Promise((resolve) => {
    res.end(fault.body, () => {
      res.socket?.destroySoon();
      resolve();
    });
  });
}
