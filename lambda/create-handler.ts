import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { OpenedSession, SessionBroker } from "./broker.ts";
import type { BrokerConfig } from "./config.ts";
import { requestBudget } from "./deadline.ts";
import { UpstreamTimeoutError } from "./errors/upstream-errors.ts";
import { sessionCreatedResponse } from "./http-responses.ts";
import { type ParsedHttpEvent, sessionRequestFromHttp } from "./http-session-request.ts";
import {
  type InvocationResult,
  isHttpApiEvent,
  sessionRequestFromInvocation,
} from "./invocation-session-request.ts";
import type { JsonLogger } from "./json-logger.ts";
import { errorResponder } from "./middlewares/error-responder.ts";
import { httpJsonBody } from "./middlewares/http-json-body.ts";
import { requestLogging } from "./middlewares/request-logging.ts";
import type { TracedContext } from "./request-trace.ts";
import { applySessionPolicy, checkConsumerIdPattern } from "./session-policy.ts";
import { validateSession } from "./session-validation.ts";

/** Everything the handler needs, built once per instance by `handler.ts` (or by a test). */
export interface HandlerDependencies {
  readonly config: BrokerConfig;
  readonly broker: SessionBroker;
  readonly logger: JsonLogger;
  readonly now?: () => number;
}

/**
 * Builds the Middy handler that serves all three callers: the IAM route, the JWT route and direct
 * invocation. Middleware order (Middy runs `before` top-down and `onError` bottom-up):
 * 1. requestLogging: trace and the single log line, so it sees every outcome;
 * 2. httpJsonBody: size, content type and JSON, before anything else reads the body;
 * 3. errorResponder: registered last, so it maps an error before requestLogging logs it.
 * The handler validates the request and applies the operator's policy before it reads the secret
 * or calls Apideck, so bad or forbidden input costs no I/O.
 */
export function createHandler({ config, broker, logger, now = Date.now }: HandlerDependencies) {
  const openVaultSession = async (
    event: unknown,
    context: Context & TracedContext,
    { signal }: { signal: AbortSignal },
  ) => {
    const { trace } = context;
    const http = isHttpApiEvent(event);
    const request = http
      ? sessionRequestFromHttp(event as ParsedHttpEvent, trace.route, config)
      : sessionRequestFromInvocation(event);
    trace.consumerId = request.consumerId;
    // On every route: a direct invoker can hand-craft an event that looks like the JWT route, so
    // a route-specific rule would be a rule the invoker chooses to skip.
    checkConsumerIdPattern(request.consumerId, request.consumerIdField, config.policy);
    const session = applySessionPolicy(validateSession(request.body), config.policy, request.serverDefaults);

    const budget = requestBudget(context.getRemainingTimeInMillis?.(), signal, now());
    let opened: OpenedSession;
    try {
      opened = await broker.openSession({ consumerId: request.consumerId, session }, budget, trace.upstream);
    } finally {
      budget.dispose();
    }
    if (http) return sessionCreatedResponse(opened);
    const result: InvocationResult = {
      session_uri: opened.response.data.session_uri,
      session_token: opened.response.data.session_token,
      expires_at: opened.expiresAt.toISOString(),
    };
    return result;
  };

  return middy<unknown, unknown, Error, Context & TracedContext>({
    // Our own deadline (deadline.ts) fires first; this is the backstop if anything else hangs.
    timeoutEarlyInMillis: 100,
    timeoutEarlyResponse: () => {
      throw new UpstreamTimeoutError();
    },
  })
    .use(requestLogging({ logger, now }))
    .use(httpJsonBody())
    .use(errorResponder())
    .handler(openVaultSession);
}
