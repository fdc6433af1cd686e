import type middy from "@middy/core";
import type { Context } from "aws-lambda";
import { describeError, type ErrorAnswer } from "../error-mapping.ts";
import { errorResponse } from "../http-responses.ts";
import { isHttpApiEvent } from "../invocation-session-request.ts";
import type { TracedContext } from "../request-trace.ts";

type Request = middy.Request<unknown, unknown, Error, Context & TracedContext>;

/**
 * Last middleware registered, so the first to see an error. HTTP callers get the mapped JSON
 * answer; direct invokers get an error whose `name` is the answer's type (Step Functions catches
 * by it) and whose stack is stripped, since Lambda returns `trace` to the invoker.
 * It sets `request.response` instead of returning it, so `requestLogging` still runs after it.
 */
export function errorResponder(): middy.MiddlewareObj<unknown, unknown, Error, Context & TracedContext> {
  const errorResponderOnError = (request: Request) => {
    const answer = describeError(request.error);
    const { trace } = request.context;
    trace.statusCode = answer.statusCode;
    trace.outcome = answer.outcome;
    trace.error = request.error ?? undefined;
    if (isHttpApiEvent(request.event)) {
      request.response = errorResponse(answer, trace.requestId);
    } else {
      request.error = invocationError(answer);
    }
  };
  return { onError: errorResponderOnError };
}

// No `cause`: the invoker sees the mapped answer only; the original is logged by requestLogging.
function invocationError(answer: ErrorAnswer): Error {
  const detail = answer.detail === undefined ? "" : ` ${JSON.stringify(answer.detail)}`;
  const error = new Error(`${answer.message}${detail}`);
  error.name = answer.typeName;
  error.stack = `${error.name}: ${error.message}`;
  return Object.assign(error, { statusCode: answer.statusCode });
}
