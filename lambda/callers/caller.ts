import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { OpenedSession } from "../broker.ts";
import type { BrokerConfig } from "../config.ts";
import type { ErrorAnswer } from "../errors/mapping.ts";
import type { Caller, Route } from "../request-context.ts";
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

/** Reads who the session is for and the still unvalidated body, the way the caller's route says. */
export function readSessionRequest(
  event: unknown,
  caller: Caller,
  config: BrokerConfig,
): UnvalidatedSessionRequest {
  return caller.kind === "http"
    ? sessionRequestFromHttp(event as ParsedHttpEvent, caller.route, config)
    : sessionRequestFromInvocation(event);
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
  if (routeKey === "POST /vault/sessions" || routeKey === "POST /sessions") return routeKey;
  return "unknown";
}
