import type middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { JsonLogger } from "../json-logger.ts";
import type { RequestTrace, TracedContext } from "../request-context.ts";

/** Options of `requestLogging`. */
export interface RequestLoggingOptions {
  readonly logger: JsonLogger;
  readonly now?: () => number;
}

type Request = middy.Request<unknown, unknown, Error, Context & TracedContext>;

/**
 * Runs right after the caller is identified: starts the request's trace and writes exactly one structured line when the
 * request ends: route, request id, consumer id, status, outcome, upstream status, attempts and
 * latency. It never logs the event, headers or body: they carry the Authorization header, and the
 * response carries the session URL and token, which are bearer credentials.
 */
export function requestLogging({
  logger,
  now = Date.now,
}: RequestLoggingOptions): middy.MiddlewareObj<unknown, unknown, Error, Context & TracedContext> {
  const requestLoggingBefore = (request: Request) => {
    const trace: RequestTrace = { startedAt: now(), upstream: { attempts: 0 } };
    request.context.trace = trace;
    logger.addContext(request.context);
  };

  const write = (request: Request, statusCode: number, outcome: string) => {
    const { trace, caller } = request.context;
    const line = {
      route: caller.route,
      request_id: caller.requestId,
      consumer_id: trace.consumerId,
      status_code: statusCode,
      outcome,
      upstream_status: trace.upstream.status,
      upstream_attempts: trace.upstream.attempts,
      upstream_latency_ms: trace.upstream.latencyMs,
      latency_ms: now() - trace.startedAt,
      ...(trace.error ? errorFields(trace.error) : {}),
    };
    if (outcome === "ok" || outcome === "client_error") logger.info("vault session request", line);
    else if (outcome === "upstream_error") logger.warn("vault session request", line);
    else logger.error("vault session request", line);
  };

  const requestLoggingAfter = (request: Request) => {
    const statusCode = (request.response as { statusCode?: number } | undefined)?.statusCode ?? 200;
    write(request, statusCode, "ok");
  };

  const requestLoggingOnError = (request: Request) => {
    const { trace } = request.context;
    write(request, trace.statusCode ?? 500, trace.outcome ?? "internal_error");
  };

  return { before: requestLoggingBefore, after: requestLoggingAfter, onError: requestLoggingOnError };
}

// Our errors' messages never contain secrets; a cause (SDK or network error) is named, with its
// message, so the operator sees "AccessDeniedException" or "ECONNREFUSED" without a stack dump.
function errorFields(error: Error) {
  const cause = error.cause as { name?: string; message?: string; code?: string } | undefined;
  return {
    error_name: error.name,
    error_message: error.message,
    ...(cause ? { error_cause: `${cause.name ?? "Error"}: ${cause.code ?? cause.message ?? ""}` } : {}),
  };
}
