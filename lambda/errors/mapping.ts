import { BrokerError } from "./broker-error.ts";
import { ConfigurationError, SecretUnavailableError } from "./configuration-errors.ts";
import {
  ForbiddenRequestError,
  MalformedJsonError,
  MissingConsumerIdError,
  PayloadTooLargeError,
  RepeatedHeaderError,
  RouteNotFoundError,
  SessionValidationError,
  UnsupportedMediaTypeError,
} from "./request-errors.ts";
import { UpstreamHttpError, UpstreamTimeoutError } from "./upstream-errors.ts";

/** How a request ended, for logs and the upstream-failure metric filter. */
export type Outcome = "ok" | "client_error" | "upstream_error" | "internal_error";

/** The one description of an error that both the HTTP answer and a direct invocation's error use. */
export interface ErrorAnswer {
  readonly statusCode: number;
  readonly typeName: string;
  readonly message: string;
  readonly detail?: unknown;
  readonly retryAfterSeconds?: number | undefined;
  readonly outcome: Outcome;
}

/** What the operator must fix, per Apideck status; sent as a 502 so callers don't blame themselves. */
const OPERATOR_FIXES: Record<number, string> = {
  401: "Apideck rejected the service's API key: the operator must store a valid key in the secret.",
  402: "Apideck refused the request for the account's plan (402): the operator must check the Apideck plan and limits.",
  403: "Apideck refused the request (403): the operator must check that the API key may use the configured app.",
  404: "Apideck does not know the configured application (404): the operator must check APIDECK_APP_ID.",
};

/**
 * Maps any error to the answer the caller gets. This is the only place where errors meet HTTP
 * statuses (the README's error table mirrors it). Unknown errors become a generic 500 and their
 * message is never exposed.
 */
export function describeError(error: unknown): ErrorAnswer {
  if (error instanceof SessionValidationError) {
    const detail = Object.fromEntries(error.problems.map((p) => [p.path, p.problem]));
    return client(422, "RequestValidationError", error.message, detail);
  }
  if (error instanceof MissingConsumerIdError)
    return client(400, error.name, error.message, { missing: [error.field] });
  if (error instanceof MalformedJsonError) return client(400, error.name, error.message);
  if (error instanceof RepeatedHeaderError)
    return client(400, error.name, error.message, { header: error.header });
  if (error instanceof UnsupportedMediaTypeError) return client(415, error.name, error.message);
  if (error instanceof PayloadTooLargeError) return client(413, error.name, error.message);
  if (error instanceof ForbiddenRequestError)
    return client(403, error.name, error.message, { field: error.field });
  if (error instanceof RouteNotFoundError) return client(404, error.name, error.message);
  if (error instanceof UpstreamHttpError) return describeUpstreamStatus(error);
  if (error instanceof UpstreamTimeoutError)
    return upstream(504, error.name, "Apideck did not answer in time; retry later.");
  if (error instanceof SecretUnavailableError) {
    return {
      ...upstream(503, error.name, "The API key store is temporarily unavailable; retry later."),
      retryAfterSeconds: 1,
    };
  }
  if (error instanceof ConfigurationError) {
    return internal("The service is misconfigured; the operator can find the cause in the logs.");
  }
  if (error instanceof BrokerError) return upstream(502, error.name, `${error.message} Retry later.`);
  if ((error as { name?: unknown } | undefined)?.name === "TimeoutError") {
    return upstream(504, "UpstreamTimeoutError", "The request ran out of time; retry later.");
  }
  return internal("Internal error.");
}

function describeUpstreamStatus(error: UpstreamHttpError): ErrorAnswer {
  const { status, body } = error;
  if (status === 400 || status === 422) {
    // The caller can fix these, so Apideck's explanation is passed on, but only as data the client
    // already scrubbed and bounded (apideck/error-body.ts), and under our own name: an upstream
    // must not be able to pose as one of the broker's errors that state machines catch by name.
    const detail = {
      ...(body?.type_name !== undefined ? { upstream_type_name: body.type_name } : {}),
      ...(body?.detail !== undefined ? { upstream_detail: body.detail } : {}),
    };
    return {
      statusCode: status,
      typeName: "UpstreamValidationError",
      message: body?.message
        ? `Apideck rejected the request: ${body.message}`
        : "Apideck rejected the request.",
      detail: Object.keys(detail).length > 0 ? detail : undefined,
      outcome: "client_error",
    };
  }
  if (status === 429) {
    const answer = upstream(
      429,
      "TooManyRequestsError",
      "Apideck is rate limiting this application; retry later.",
    );
    return { ...answer, retryAfterSeconds: error.retryAfterSeconds ?? 1 };
  }
  const fix = OPERATOR_FIXES[status];
  if (fix !== undefined) return upstream(502, "UpstreamConfigurationError", fix);
  return upstream(502, "UpstreamError", `Apideck failed to create the session (${status}); retry later.`);
}

function client(statusCode: number, typeName: string, message: string, detail?: unknown): ErrorAnswer {
  return { statusCode, typeName, message, detail, outcome: "client_error" };
}

function upstream(statusCode: number, typeName: string, message: string): ErrorAnswer {
  return { statusCode, typeName, message, outcome: "upstream_error" };
}

function internal(message: string): ErrorAnswer {
  return { statusCode: 500, typeName: "InternalError", message, outcome: "internal_error" };
}
