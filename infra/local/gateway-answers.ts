import type { HttpAnswer } from "./loopback-server.ts";

/** API Gateway's own answer shape: `{"message": ...}` JSON, before or instead of the function. */
export function gatewayAnswer(status: number, message: string): HttpAnswer {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) };
}

/** A request the gateway answers itself, and why (for the log; never a credential or body). */
export interface GatewayRefusal {
  readonly status: number;
  /** What the caller reads in `{"message": ...}`. */
  readonly message: string;
  /** Why, in a few words, for the gateway's log line. */
  readonly reason: string;
  /** The access key id a refused SigV4 request named; key ids are not secrets (CloudTrail logs them). */
  readonly accessKeyId?: string;
}

/** Routes the API does not have (API Gateway's wording). */
export const NOT_FOUND: GatewayRefusal = { status: 404, message: "Not Found", reason: "no such route" };
/** HTTP API's 10 MB payload limit. */
export const TOO_LARGE: GatewayRefusal = {
  status: 413,
  message: "Request Entity Too Large",
  reason: "body over 10 MB",
};
/** The function failed instead of answering: API Gateway hides the error behind a bare 500. */
export const INTEGRATION_FAILED: GatewayRefusal = {
  status: 500,
  message: "Internal Server Error",
  reason: "the function threw",
};

/**
 * Writes one JSON line on stderr for a request the gateway answered itself: the status, the reason,
 * the route and the request id. Never the Authorization header, a signature, a token or the body.
 */
export function logRefusal(refusal: GatewayRefusal, routeKey: string, requestId: string): void {
  process.stderr.write(
    `${JSON.stringify({
      level: "WARN",
      message: "local gateway refused a request",
      source: "local-gateway",
      status: refusal.status,
      reason: refusal.reason,
      route: routeKey,
      request_id: requestId,
      ...(refusal.accessKeyId !== undefined && { access_key_id: refusal.accessKeyId }),
    })}\n`,
  );
}
