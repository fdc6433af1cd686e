import { BrokerError, type FieldProblem } from "./broker-error.ts";

/** The caller's request is wrong; fixing the request fixes the error. Mapped to a 4xx. */
export abstract class RequestError extends BrokerError {}

/** The body is not valid JSON. */
export class MalformedJsonError extends RequestError {
  override readonly name = "MalformedJsonError";
  constructor() {
    super("The request body is not valid JSON.");
  }
}

/** A body was sent with a content type other than JSON. */
export class UnsupportedMediaTypeError extends RequestError {
  override readonly name = "UnsupportedMediaTypeError";
  constructor() {
    super("The request body must be JSON: send content-type: application/json.");
  }
}

/** The body is larger than the service accepts. */
export class PayloadTooLargeError extends RequestError {
  override readonly name = "PayloadTooLargeError";
  constructor(limitBytes: number) {
    super(`The request body must be at most ${limitBytes} bytes.`);
  }
}

/** No consumer id was given (header `x-apideck-consumer-id`, JWT claim or `consumer_id`). */
export class MissingConsumerIdError extends RequestError {
  override readonly name = "MissingConsumerIdError";
  readonly field: string;
  constructor(field: string) {
    super(`A consumer id is required: ${field} is missing.`);
    this.field = field;
  }
}

/**
 * A header that must carry one value arrived repeated: API Gateway (payload 2.0) joins repeated
 * headers with commas, so `a, b` would otherwise read as one odd consumer id.
 */
export class RepeatedHeaderError extends RequestError {
  override readonly name = "RepeatedHeaderError";
  readonly header: string;
  constructor(header: string) {
    super(
      `The ${header} header was sent more than once (API Gateway joins repeated headers with commas); send it once.`,
    );
    this.header = header;
  }
}

/**
 * The request does not match Apideck's `Session` schema (or the service's bounds on it). Named by
 * the public name (README "Errors"), which the caller, the log and a `Catch` all see.
 */
export class SessionValidationError extends RequestError {
  override readonly name = "RequestValidationError";
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    super(`Invalid request: ${problems.map((p) => p.path).join(", ")}.`);
    this.problems = problems;
  }
}

/** The caller asked for something it may not: another app, another consumer, a locked field. */
export class ForbiddenRequestError extends RequestError {
  override readonly name = "ForbiddenRequestError";
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** No route of this service matches the method and path. */
export class RouteNotFoundError extends RequestError {
  override readonly name = "RouteNotFoundError";
  constructor() {
    super("No such route: use POST /vault/sessions or POST /sessions.");
  }
}
