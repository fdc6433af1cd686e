import type { UpstreamTrace } from "./apideck/client.ts";
import type { Outcome } from "./errors/mapping.ts";
import type { SecretRead } from "./secret/reader.ts";

/** Which entry point a request came through; logged, and decides where the consumer id comes from. */
export type Route =
  | "POST /vault/sessions"
  | "POST /sessions"
  | "POST /sdk/vault/sessions"
  | "invoke"
  | "unknown";

/**
 * Who sent the event, decided once per request before any middleware needs it (`identifyCaller`
 * in callers/caller.ts) and handed on through the Lambda context.
 */
export interface Caller {
  /** `http`: an API Gateway HTTP API (payload 2.0) event; `invoke`: a direct invocation. */
  readonly kind: "http" | "invoke";
  readonly route: Route;
  /** API Gateway's request id for HTTP callers (what they see in answers), else Lambda's. */
  readonly requestId: string;
}

/**
 * What the request log line reports, filled in as the request goes: started by the
 * `requestLogging` middleware, written to by the handler and `errorResponder`.
 */
export interface RequestTrace {
  consumerId?: string | undefined;
  /** The broker key that authorized the request (`POST /sdk/vault/sessions`); never its secret. */
  brokerKey?: { readonly id: string; readonly name: string } | undefined;
  readonly startedAt: number;
  /** How the broker got the Apideck key (`secret_read`); unset if the request never read it. */
  secretRead?: SecretRead | undefined;
  readonly upstream: UpstreamTrace;
  /** Set by `errorResponder` from the error mapping. */
  statusCode?: number | undefined;
  outcome?: Outcome | undefined;
  /** The answer's `type_name`: the one name the caller, the log's `error_name` and a `Catch` see. */
  errorName?: string | undefined;
  /** The error as thrown, before mapping; logged, never sent. */
  error?: Error | undefined;
}

/** The Lambda context as the chain leaves it: the caller first, then the trace. */
export interface TracedContext {
  caller: Caller;
  trace: RequestTrace;
}
