import { BrokerError } from "./broker-error.ts";

/** Apideck could not give us a session. Subclasses say how it failed. */
export abstract class UpstreamError extends BrokerError {}

/** No answer from Apideck within the attempt timeout or the request's deadline. */
export class UpstreamTimeoutError extends UpstreamError {
  override readonly name = "UpstreamTimeoutError";
  constructor(options?: ErrorOptions) {
    super("Apideck did not answer in time.", options);
  }
}

/** The connection to Apideck failed (DNS, refused, reset) before a full answer arrived. */
export class UpstreamNetworkError extends UpstreamError {
  override readonly name = "UpstreamNetworkError";
  constructor(options?: ErrorOptions) {
    super("The connection to Apideck failed.", options);
  }
}

/**
 * Apideck's error body as the client passes it on: already scrubbed of credentials and bounded in
 * size (apideck/error-body.ts); `type_name` is data, never an error name.
 */
export interface ApideckErrorBody {
  readonly type_name?: string | undefined;
  readonly message?: string | undefined;
  readonly detail?: unknown;
}

/** Apideck answered with a non-2xx status. */
export class UpstreamHttpError extends UpstreamError {
  override readonly name = "UpstreamHttpError";
  readonly status: number;
  readonly body: ApideckErrorBody | undefined;
  /** Seconds from Apideck's `Retry-After`, when it sent a usable one. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, body: ApideckErrorBody | undefined, retryAfterSeconds: number | undefined) {
    super(`Apideck answered ${status}.`);
    this.status = status;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Apideck answered 2xx, but not with a `CreateSessionResponse` (contract drift, proxy page). */
export class UpstreamInvalidResponseError extends UpstreamError {
  override readonly name = "UpstreamInvalidResponseError";
  constructor(reason: string) {
    super(`Apideck's answer was not a valid session: ${reason}.`);
  }
}
