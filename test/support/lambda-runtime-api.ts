import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, startLoopbackServer, writeAnswer } from "../../infra/local/loopback-server.ts";

// Lambda's Runtime API (version 2018-06-01), on loopback, as the runtime client inside a Lambda
// execution environment sees it: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html

/** The error body the runtime client posts (`Errors.toRapidResponse` in aws-lambda-ric). */
export interface RuntimeErrorBody {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/**
 * What Lambda's Invoke API hands the invoker: the result, or `FunctionError: Unhandled` with the
 * error body as payload. Step Functions' `Catch` matches `payload.errorType` (its `Error`), and its
 * `Cause` is the payload as JSON.
 */
export type InvokeOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | {
      readonly ok: false;
      readonly functionError: "Unhandled";
      readonly payload: RuntimeErrorBody;
      /** The `Lambda-Runtime-Function-Error-Type` header the runtime sent, if any. */
      readonly errorTypeHeader?: string;
    };

/** A loopback Runtime API that queues invocations for one runtime process. */
export interface LambdaRuntimeApi {
  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string;
  /** Queues `event`; resolves when the runtime posts its response or error. */
  invoke(event: unknown, timeoutMs?: number): Promise<InvokeOutcome>;
  /** Resolves with the body and error-type header the runtime posted to `/runtime/init/error`. */
  readonly initError: Promise<{ body: RuntimeErrorBody; errorTypeHeader?: string }>;
  /** The headers of each `/invocation/next` answer, oldest first. */
  readonly delivered: readonly Record<string, string>[];
  close(): Promise<void>;
}

const BASE = "/2018-06-01/runtime";
const FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:vault-session-broker";

interface Pending {
  readonly id: string;
  readonly event: unknown;
  readonly deadlineMs: number;
  readonly settle: (outcome: InvokeOutcome) => void;
}

/** Starts the Runtime API: `next` long-polls until `invoke` queues an event. */
export async function startLambdaRuntimeApi(): Promise<LambdaRuntimeApi> {
  const queue: Pending[] = [];
  const waiting: ((pending: Pending) => void)[] = [];
  const inFlight = new Map<string, Pending>();
  const delivered: Record<string, string>[] = [];
  let reportInitError: (value: { body: RuntimeErrorBody; errorTypeHeader?: string }) => void = () => {};
  const initError = new Promise<{ body: RuntimeErrorBody; errorTypeHeader?: string }>((resolve) => {
    reportInitError = resolve;
  });

  const next = (): Promise<Pending> =>
    new Promise((resolve) => {
      const queued = queue.shift();
      if (queued) resolve(queued);
      else waiting.push(resolve);
    });

  const server = await startLoopbackServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "";
    const accepted = () => writeAnswer(res, json(202, { status: "OK" }));
    if (req.method === "GET" && url === `${BASE}/invocation/next`) {
      const pending = await next();
      inFlight.set(pending.id, pending);
      const headers = {
        "content-type": "application/json",
        "lambda-runtime-aws-request-id": pending.id,
        "lambda-runtime-deadline-ms": String(pending.deadlineMs),
        "lambda-runtime-invoked-function-arn": FUNCTION_ARN,
        "lambda-runtime-trace-id": `Root=1-${randomUUID().slice(0, 8)}-${randomUUID().replaceAll("-", "").slice(0, 24)};Sampled=0`,
      };
      delivered.push(headers);
      return writeAnswer(res, { status: 200, headers, body: JSON.stringify(pending.event) });
    }
    const body = await readBody(req);
    const errorTypeHeader = header(req, "lambda-runtime-function-error-type");
    if (req.method === "POST" && url === `${BASE}/init/error`) {
      reportInitError({
        body: JSON.parse(body) as RuntimeErrorBody,
        ...(errorTypeHeader && { errorTypeHeader }),
      });
      return accepted();
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    const pending = match ? inFlight.get(decodeURIComponent(match[1] ?? "")) : undefined;
    if (req.method !== "POST" || match === null || pending === undefined) {
      return writeAnswer(
        res,
        json(404, { errorType: "InvalidRequestID", errorMessage: "unknown request id" }),
      );
    }
    inFlight.delete(pending.id);
    accepted();
    if (match[2] === "response") pending.settle({ ok: true, payload: JSON.parse(body) });
    else
      pending.settle({
        ok: false,
        functionError: "Unhandled",
        payload: JSON.parse(body) as RuntimeErrorBody,
        ...(errorTypeHeader && { errorTypeHeader }),
      });
  });

  return {
    address: new URL(server.url).host,
    initError,
    delivered,
    invoke(event, timeoutMs = 15_000) {
      return new Promise((settle) => {
        const pending: Pending = { id: randomUUID(), event, deadlineMs: Date.now() + timeoutMs, settle };
        const waiter = waiting.shift();
        if (waiter) waiter(pending);
        else queue.push(pending);
      });
    },
    close: () => server.close(),
  };
}

function json(status: number, body: unknown) {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
