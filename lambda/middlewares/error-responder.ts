import type middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { ErrorAnswer } from "../errors/mapping.ts";
import type { Caller, TracedContext } from "../request-context.ts";

type Request = middy.Request<unknown, unknown, Error, Context & TracedContext>;

/** Options of `errorResponder`: how errors are described, and how an answer reaches the caller. */
export interface ErrorResponderOptions {
  /** The one error mapping (errors/mapping.ts). */
  readonly describe: (error: unknown) => ErrorAnswer;
  /** A response to return (HTTP callers) or an error to throw (direct invokers). */
  readonly render: (answer: ErrorAnswer, caller: Caller) => { response: unknown } | { error: Error };
}

/**
 * Last middleware registered, so the first to see an error. It records the answer on the trace
 * and hands it to the caller in the caller's format. It sets `request.response` (or replaces
 * `request.error`) instead of returning, so `requestLogging` still runs after it.
 */
export function errorResponder({
  describe,
  render,
}: ErrorResponderOptions): middy.MiddlewareObj<unknown, unknown, Error, Context & TracedContext> {
  const errorResponderOnError = (request: Request) => {
    const answer = describe(request.error);
    const { trace, caller } = request.context;
    trace.statusCode = answer.statusCode;
    trace.outcome = answer.outcome;
    trace.errorName = answer.typeName;
    trace.error = request.error ?? undefined;
    const rendered = render(answer, caller);
    if ("response" in rendered) request.response = rendered.response;
    else request.error = rendered.error;
  };
  return { onError: errorResponderOnError };
}
