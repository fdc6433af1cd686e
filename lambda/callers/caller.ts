import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { OpenedSession } from "../broker.ts";
import type { BrokerConfig } from "../config.ts";
import type { ErrorAnswer } from "../errors/mapping.ts";
import type { Caller, Route } from "../request-context.ts";
import { BROKER_KEY_ROUTE, sessionRequestFromBrokerKey } from "./broker-key-request.ts";
import {
  type ParsedHttpEvent,
  sessionRequestFromHttp,
  type UnvalidatedSessionRequest,
} from "./http-request.ts";
import { errorResponse, sessionCreatedResponse } from "./http-response.ts";
import {
  type InvocationResult,
  invocationError,
  invocationResult,
  sessionRequestFromInvocation,
} from "./invocation.ts";

/**
 * Decides, once per request, who sent the event: an HTTP API (payload 2.0) event carries
 * `requestContext.http`; anything else is a direct invocation (a plain JSON payload). The route
 * of an HTTP event comes from its route key; API Gateway only forwards the routes the stack
 * declares, so anything else is `unknown` (answered 404).
 */
export function identifyCaller(event: unknown, awsRequestId: string): Caller {
  if (!isHttpApiEvent(event)) return { kind: "invoke", route: "invoke", requestId: awsRequestId };
  return { kind: "http", route: httpRoute(event), requestId: event.requestContext.requestId ?? awsRequestId };
}

/**
 * Reads who the session is for and the still unvalidated body, the way the caller's route says.
 * `now` (epoch ms) is when a broker key's expiry is checked.
 */
export function readSessionRequest(
  event: unknown,
  caller: Caller,
  config: BrokerConfig,
  now: number = Date.now(),
): UnvalidatedSessionRequest {
  if (caller.kind !== "http") return sessionRequestFromInvocation(event);
  if (caller.route === BROKER_KEY_ROUTE)
    return sessionRequestFromBrokerKey(event as ParsedHttpEvent, config, now);
  return sessionRequestFromHttp(event as ParsedHttpEvent, caller.route, config);
}

/** The success answer in the caller's format: Apideck's JSON over HTTP, a plain result when invoked. */
export function renderSession(
  opened: OpenedSession,
  caller: Caller,
): APIGatewayProxyStructuredResultV2 | InvocationResult {
  return caller.kind === "http" ? sessionCreatedResponse(opened) : invocationResult(opened);
}

/** The failure answer in the caller's format: an HTTP response to return, or an error to throw. */
export function renderError(
  answer: ErrorAnswer,
  caller: Caller,
): { response: APIGatewayProxyStructuredResultV2 } | { error: Error } {
  return caller.kind === "http"
    ? { response: errorResponse(answer, caller.requestId) }
    : { error: invocationError(answer) };
}

function isHttpApiEvent(event: unknown): event is ParsedHttpEvent {
  const context = (event as { requestContext?: { http?: unknown } } | null)?.requestContext;
  return typeof context === "object" && context !== null && typeof context.http === "object";
}

function httpRoute(event: ParsedHttpEvent): Route {
  const routeKey =
    event.routeKey === "$default" ? `${event.requestContext.http.method} ${event.rawPath}` : event.routeKey;
  if (routeKey === "POST /vault/sessions" || routeKey === "POST /sessions" || routeKey === BROKER_KEY_ROUTE)
    return routeKey;
  return "unknown";
}
