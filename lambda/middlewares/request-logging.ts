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
 * request ends: route, request id, consumer id, status, outcome, how the Apideck key was read
 * (`secret_read`, never the key), upstream status, attempts and latency. It never logs the event,
 * headers or body: they carry the Authorization header, and the response carries the session URL
 * and token, which are bearer credentials.
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
      key_id: trace.brokerKey?.id,
      key_name: trace.brokerKey?.name,
      status_code: statusCode,
      outcome,
      secret_read: trace.secretRead,
      upstream_status: trace.upstream.status,
      upstream_attempts: trace.upstream.attempts,
      upstream_latency_ms: trace.upstream.latencyMs,
      latency_ms: now() - trace.startedAt,
      ...(trace.error ? errorFields(trace.error, trace.errorName) : {}),
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

// `error_name` is the name the caller was given (the answer's type_name), so a search by what a
// caller reported finds the line; `error_class` is the thrown error's own name, which may be more
// precise (UpstreamHttpError behind UpstreamConfigurationError, SecretAccessError behind
// InternalError). Our errors' messages never contain secrets; a cause (SDK or network error) is
// named, with its message, so the operator sees "AccessDeniedException" without a stack dump;
// `error_code` is the first system error code down the cause chain (the Apideck transport's socket
// error carries it itself; the SDK may wrap it); `operator_action` is what an error the operator
// must fix says to change.
function errorFields(error: Error, answeredName: string | undefined) {
  const cause = error.cause as { name?: string; message?: string } | undefined;
  const code = firstCode(error);
  const { operatorAction } = error as { operatorAction?: unknown };
  return {
    error_name: answeredName ?? error.name,
    error_class: error.name,
    error_message: error.message,
    ...(cause ? { error_cause: `${cause.name ?? "Error"}: ${cause.message ?? ""}` } : {}),
    ...(code !== undefined ? { error_code: code } : {}),
    ...(typeof operatorAction === "string" ? { operator_action: operatorAction } : {}),
  };
}

/** The first string `code` on the error or down its cause chain (a few links; chains can loop). */
function firstCode(error: unknown): string | undefined {
  let link = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && typeof link === "object" && link !== null; depth++) {
    if (typeof link.code === "string") return link.code;
    link = link.cause as typeof link;
  }
  return undefined;
}
