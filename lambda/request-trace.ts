import type { UpstreamTrace } from "./apideck-client.ts";
import type { Outcome } from "./error-mapping.ts";

/** Which entry point a request came through; logged, and decides where the consumer id comes from. */
export type Route = "POST /vault/sessions" | "POST /sessions" | "invoke" | "unknown";

/**
 * What the request log line reports, filled in as the request goes: set on the Lambda context by
 * the `requestLogging` middleware, so the handler and every middleware share it.
 */
export interface RequestTrace {
  route: Route;
  requestId: string;
  consumerId?: string | undefined;
  readonly startedAt: number;
  readonly upstream: UpstreamTrace;
  /** Set by `errorResponder` from the error mapping. */
  statusCode?: number | undefined;
  outcome?: Outcome | undefined;
  /** The error as thrown, before mapping; logged, never sent. */
  error?: Error | undefined;
}

/** The Lambda context as our middlewares leave it. */
export interface TracedContext {
  trace: RequestTrace;
}
