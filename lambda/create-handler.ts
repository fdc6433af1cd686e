import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { SessionBroker } from "./broker.ts";
import { identifyCaller, readSessionRequest, renderError, renderSession } from "./callers/caller.ts";
import type { BrokerConfig } from "./config.ts";
import { MIDDY_TIMEOUT_EARLY_MS, requestBudget } from "./deadline.ts";
import { describeError } from "./errors/mapping.ts";
import { UpstreamTimeoutError } from "./errors/upstream-errors.ts";
import type { JsonLogger } from "./json-logger.ts";
import { errorResponder } from "./middlewares/error-responder.ts";
import { httpJsonBody } from "./middlewares/http-json-body.ts";
import { requestLogging } from "./middlewares/request-logging.ts";
import type { TracedContext } from "./request-context.ts";
import { applySessionPolicy, checkConsumerScope } from "./session/policy.ts";
import { narrowSessionPolicy } from "./session/policy-narrowing.ts";
import { MAX_BODY_BYTES, validateSession } from "./session/validation.ts";

/** Everything the handler needs, built once per instance by `handler.ts` (or by a test). */
export interface HandlerDependencies {
  readonly config: BrokerConfig;
  readonly broker: SessionBroker;
  readonly logger: JsonLogger;
  readonly now?: () => number;
}

type BrokerRequest = middy.Request<unknown, unknown, Error, Context & TracedContext>;

/**
 * Builds the Middy handler that serves all three callers: the IAM route, the JWT route and direct
 * invocation. Middleware order (Middy runs `before` top-down and `onError` bottom-up):
 * 1. identify the caller: the one place that decides who sent the event and by which route;
 * 2. requestLogging: trace and the single log line, so it sees every outcome;
 * 3. httpJsonBody: size, content type and JSON, before anything else reads the body;
 * 4. errorResponder: registered last, so it maps an error before requestLogging logs it.
 * The handler validates the request and applies the operator's policy before it reads the secret
 * or calls Apideck, so bad or forbidden input costs no I/O.
 */
export function createHandler({ config, broker, logger, now = Date.now }: HandlerDependencies) {
  const identifyCallerBefore = (request: BrokerRequest) => {
    request.context.caller = identifyCaller(request.event, request.context.awsRequestId);
  };

  const openVaultSession = async (
    event: unknown,
    context: Context & TracedContext,
    { signal }: { signal: AbortSignal },
  ) => {
    const { trace, caller } = context;
    const request = readSessionRequest(event, caller, config, now());
    trace.consumerId = request.consumerId;
    trace.brokerKey = request.brokerKey;
    // On every route: a direct invoker can hand-craft an event that looks like the JWT route, so
    // a route-specific rule would be a rule the invoker chooses to skip.
    checkConsumerScope(request.consumerId, request.consumerIdField, config.policy);
    // A broker key may narrow the operator's policy (fewer APIs, shorter sessions), never widen it.
    const policy = request.policyLimits
      ? narrowSessionPolicy(config.policy, request.policyLimits)
      : config.policy;
    const session = applySessionPolicy(validateSession(request.body), policy, request.serverDefaults);

    const budget = requestBudget(context.getRemainingTimeInMillis?.(), signal, now());
    try {
      const opened = await broker.openSession({ consumerId: request.consumerId, session }, budget, trace);
      return renderSession(opened, caller);
    } finally {
      budget.dispose();
    }
  };

  return middy<unknown, unknown, Error, Context & TracedContext>({
    timeoutEarlyInMillis: MIDDY_TIMEOUT_EARLY_MS,
    timeoutEarlyResponse: () => {
      throw new UpstreamTimeoutError();
    },
  })
    .use({ before: identifyCallerBefore })
    .use(requestLogging({ logger, now }))
    .use(httpJsonBody({ maxBytes: MAX_BODY_BYTES }))
    .use(errorResponder({ describe: describeError, render: renderError }))
    .handler(openVaultSession);
}
