import { abortAfter, type CallBudget } from "../deadline.ts";
import {
  UpstreamError,
  UpstreamHttpError,
  UpstreamInvalidResponseError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
} from "../errors/upstream-errors.ts";
import type { Session } from "../session/schema.ts";
import { toApideckErrorBody } from "./error-body.ts";
import {
  type CreateSessionResponse,
  CreateSessionResponseSchema,
  MAX_RESPONSE_BYTES,
  readResponseText,
} from "./response.ts";
import { type AttemptFailure, parseRetryAfter, retryDelayMs } from "./retry-policy.ts";
import { type ApideckTransport, createNodeTransport } from "./transport.ts";

/** One `POST /vault/sessions`, as Apideck expects it. */
export interface VaultSessionCall {
  readonly apiKey: string;
  readonly appId: string;
  readonly consumerId: string;
  readonly session: Session;
}

/** Where and how to call Apideck. */
export interface ApideckClientOptions {
  readonly baseUrl: string;
  readonly attemptTimeoutMs: number;
  /** How a request reaches Apideck. @default createNodeTransport() (node:https keep-alive) */
  readonly transport?: ApideckTransport;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** What the call cost, for the request log, filled in as attempts happen (also on failure). */
export interface UpstreamTrace {
  attempts: number;
  status?: number | undefined;
  latencyMs?: number | undefined;
}

/** Calls Apideck's Create Session with per-attempt timeouts and bounded, jittered retries. */
export interface ApideckClient {
  createSession(
    call: VaultSessionCall,
    budget: CallBudget,
    trace: UpstreamTrace,
  ): Promise<CreateSessionResponse>;
}

/** Creates the client; the URL and headers that never change are computed once, here. */
export function createApideckClient(options: ApideckClientOptions): ApideckClient {
  const { attemptTimeoutMs, random = Math.random, now = Date.now } = options;
  const transport = options.transport ?? createNodeTransport();
  const url = `${options.baseUrl}/vault/sessions`;

  const attemptOnce = async (call: VaultSessionCall, signal: AbortSignal, trace: UpstreamTrace) => {
    const startedAt = now();
    trace.attempts += 1;
    try {
      const response = await transport(url, {
        method: "POST",
        headers: {
          accept: "application/json",
          authorization: `Bearer ${call.apiKey}`,
          "content-type": "application/json",
          "x-apideck-app-id": call.appId,
          "x-apideck-consumer-id": call.consumerId,
        },
        body: JSON.stringify(call.session),
        // Never follows a redirect (it would re-send the key elsewhere); Apideck never redirects.
        signal,
      });
      trace.status = response.status;
      const text = await readResponseText(response);
      // The status decides first: an oversized 503 page is still a 503 (retried), not a bad session.
      if (response.status < 200 || response.status > 299) {
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now());
        // Scrubbed and bounded here, before anything can log, map or return it.
        throw new UpstreamHttpError(response.status, toApideckErrorBody(text, [call.apiKey]), retryAfter);
      }
      if (text === undefined)
        throw new UpstreamInvalidResponseError(`the body is larger than ${MAX_RESPONSE_BYTES} bytes`);
      return parseCreateSessionResponse(text);
    } catch (error) {
      throw toUpstreamError(error);
    } finally {
      trace.latencyMs = now() - startedAt;
    }
  };

  return {
    async createSession(call, { signal, deadlineAt }, trace) {
      for (let attempt = 1; ; attempt++) {
        const remainingMs = deadlineAt - now();
        if (remainingMs <= 0 || signal.aborted) throw new UpstreamTimeoutError();
        const attemptTimer = abortAfter(Math.min(attemptTimeoutMs, remainingMs), signal);
        try {
          return await attemptOnce(call, attemptTimer.signal, trace);
        } catch (error) {
          const failure = describeFailure(error as UpstreamError);
          const delay =
            signal.aborted || !failure
              ? undefined
              : retryDelayMs(failure, attempt, deadlineAt - now(), random);
          if (delay === undefined) throw error;
          await sleep(delay, signal);
        } finally {
          attemptTimer.dispose();
        }
      }
    },
  };
}

function parseCreateSessionResponse(text: string): CreateSessionResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UpstreamInvalidResponseError("the body is not JSON");
  }
  const parsed = CreateSessionResponseSchema.safeParse(json);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join(".") || "(body)");
    throw new UpstreamInvalidResponseError(`invalid ${[...new Set(paths)].join(", ")}`);
  }
  return parsed.data;
}

function toUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const name = (error as { name?: string } | undefined)?.name;
  // The transport rejects with the abort reason: TimeoutError from our timers, AbortError from Middy's signal.
  if (name === "TimeoutError" || name === "AbortError") return new UpstreamTimeoutError({ cause: error });
  return new UpstreamNetworkError({ cause: error });
}

function describeFailure(error: UpstreamError): AttemptFailure | undefined {
  if (error instanceof UpstreamTimeoutError) return { kind: "timeout" };
  if (error instanceof UpstreamNetworkError) return { kind: "network" };
  if (error instanceof UpstreamHttpError) {
    return { kind: "status", status: error.status, retryAfterSeconds: error.retryAfterSeconds };
  }
  return undefined; // an invalid 2xx body: retrying would not change Apideck's contract
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
