import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from "../cors-settings.ts";
import type { HttpAnswer } from "./loopback-server.ts";

/** A preflight's outcome: the answer to send, and why it was refused (for the log) when it was. */
export interface PreflightOutcome {
  readonly answer: HttpAnswer;
  readonly refused?: string;
}

/** The local gateway's CORS behaviour for one list of allowed origins. */
export interface LocalCors {
  /** Whether a request is a CORS preflight: OPTIONS with `origin` and `access-control-request-method`. */
  isPreflight(method: string, headers: Record<string, string>): boolean;
  /** Answers a preflight, before any route or authorizer is looked at. */
  preflight(headers: Record<string, string>): PreflightOutcome;
  /**
   * Sets the CORS headers on an answer (the function's or the gateway's own) for the request's
   * origin: the function's own `access-control-*` headers are dropped first, as API Gateway ignores
   * them once CORS is configured; a missing or disallowed origin gets none.
   */
  apply(answer: HttpAnswer, origin: string | undefined): HttpAnswer;
}

const ALLOW_HEADERS = new Set<string>(CORS_ALLOW_HEADERS);
const ALLOW_METHODS = new Set<string>(CORS_ALLOW_METHODS);

/**
 * Plays an HTTP API's CORS configuration (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html)
 * with the settings of `cors-settings.ts` and `origins`. Never more lenient than API Gateway: a
 * preflight from another origin, for another method or asking for another header is refused with
 * a 403 JSON answer and no CORS headers (a browser then blocks the call, as it does deployed; how
 * API Gateway words that refusal is not documented). Undefined when `origins` is empty: no CORS.
 */
export function createLocalCors(origins: readonly string[]): LocalCors | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins.map((origin) => origin.toLowerCase()));
  const isAllowed = (origin: string | undefined): origin is string =>
    origin !== undefined && allowed.has(origin.toLowerCase());
  const refuse = (reason: string): PreflightOutcome => ({
    refused: reason,
    answer: {
      status: 403,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: `CORS preflight refused: ${reason}` }),
    },
  });

  return {
    isPreflight: (method, headers) =>
      method === "OPTIONS" &&
      headers.origin !== undefined &&
      headers["access-control-request-method"] !== undefined,

    preflight(headers) {
      const origin = headers.origin;
      if (!isAllowed(origin)) return refuse("origin is not allowed (CORS_ORIGINS)");
      const method = headers["access-control-request-method"] ?? "";
      if (!ALLOW_METHODS.has(method)) return refuse(`method ${JSON.stringify(method)} is not allowed`);
      const asked = (headers["access-control-request-headers"] ?? "")
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean);
      const extra = asked.filter((name) => !ALLOW_HEADERS.has(name));
      if (extra.length > 0) return refuse(`request headers not allowed: ${extra.join(", ")}`);
      return {
        answer: {
          status: 204,
          headers: {
            "access-control-allow-origin": origin,
            "access-control-allow-methods": CORS_ALLOW_METHODS.join(","),
            "access-control-allow-headers": CORS_ALLOW_HEADERS.join(","),
            "access-control-max-age": String(CORS_MAX_AGE_SECONDS),
            vary: "origin",
          },
          body: "",
        },
      };
    },

    apply(answer, origin) {
      const headers = Object.fromEntries(
        Object.entries(answer.headers).filter(([name]) => !name.toLowerCase().startsWith("access-control-")),
      );
      if (isAllowed(origin)) {
        headers["access-control-allow-origin"] = origin;
        headers["access-control-expose-headers"] = CORS_EXPOSE_HEADERS.join(",");
        headers.vary = headers.vary ? `${headers.vary}, origin` : "origin";
      }
      return { ...answer, headers };
    },
  };
}
