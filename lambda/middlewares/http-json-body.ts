import type middy from "@middy/core";
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "../errors/request-errors.ts";
import type { TracedContext } from "../request-context.ts";

/** Options of `httpJsonBody`. */
export interface HttpJsonBodyOptions {
  /** Largest body accepted, in bytes. A full `Session` with every field is about 2 KB. @default 16384 */
  readonly maxBytes?: number;
}

const defaults = { maxBytes: 16 * 1024 };

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses an HTTP API event's JSON body in place (Middy's convention: `event.body` becomes the
 * value), cheapest check first: size, content type, then JSON. An absent or empty body is valid
 * (Apideck's body is optional). Direct invocations pass through untouched.
 */
export function httpJsonBody(
  options: HttpJsonBodyOptions = {},
): middy.MiddlewareObj<unknown, unknown, Error, Partial<TracedContext>> {
  const { maxBytes } = { ...defaults, ...options };

  const httpJsonBodyBefore = (request: middy.Request<unknown, unknown, Error, Partial<TracedContext>>) => {
    if (request.context.caller?.kind !== "http") return;
    const event = request.event as {
      body?: unknown;
      isBase64Encoded?: boolean;
      headers?: Record<string, string | undefined>;
    };
    const raw = event.body;
    if (raw === undefined || raw === null || raw === "") {
      event.body = undefined;
      return;
    }
    // API Gateway always sends a string; anything else is a hand-made event from a direct invoker.
    if (typeof raw !== "string") throw new MalformedJsonError();
    const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
    if (bytes.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);
    const contentType = event.headers?.["content-type"] ?? "";
    if (!JSON_CONTENT_TYPE.test(contentType)) throw new UnsupportedMediaTypeError();
    try {
      event.body = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw new MalformedJsonError();
    }
  };

  return { before: httpJsonBodyBefore };
}
