import { warmUpAnswerPath } from "./apideck/warm-up.ts";
import { composeInstance } from "./compose-handler.ts";
import { loadConfig } from "./config.ts";
import { InvalidEnvironmentError } from "./errors/configuration-errors.ts";
import { runtimeError } from "./errors/runtime-error.ts";
import { createJsonLogger } from "./json-logger.ts";

// Cold start: runs once per Lambda instance. The logger reads its level from the environment
// (json-logger.ts); `POWERTOOLS_SERVICE_NAME` names the service, as in Powertools. Everything else
// is our configuration, parsed and checked here, so a bad deploy fails at its first start.
const logger = createJsonLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "vault-session-broker",
});

const config = (() => {
  try {
    return loadConfig(process.env);
  } catch (error) {
    // Nothing is logged here: the runtime prints an init error itself, once, and reports it as the
    // INIT failure. A stack-less error (runtime-error.ts) makes that one line name every invalid
    // variable and nothing else.
    if (error instanceof InvalidEnvironmentError) throw runtimeError(error.name, error.message);
    throw error;
  }
})();

const instance = composeInstance(config, { logger });

/** The Lambda entry point: HTTP API (payload 2.0) events and direct invocations. */
export const handler = instance.handler;

/**
 * How long INIT waits for the secret read it starts. A read takes tens of milliseconds; the SDK's
 * own worst case (3 attempts of a 1 s connect and a 3 s request timeout, with backoff) is past
 * Lambda's 10 s INIT limit, so INIT stops waiting here, far inside it, whatever the SDK does.
 */
export const SECRET_PREFETCH_BOUND_MS = 2_000;

// INIT starts the secret read and warms the answer path (top-level await): INIT runs at full CPU,
// the invoke of a 256 MB function at about 15 % of a core, so the SDK's first request (credentials,
// signing, the TLS connection) and V8's first compiles cost far less wall time here.
// It never fails INIT: a failed read leaves the cache empty and the first request reads again;
// one still running at the bound is finished by the first request. The read runs where Lambda
// runs the function (it sets AWS_LAMBDA_INITIALIZATION_TYPE), not in local mode or in harnesses
// that load the bundle to play faults on the first request's read.
const inLambda = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== undefined;
const [prefetched] = await Promise.all([
  inLambda ? instance.apiKeys.prefetch(SECRET_PREFETCH_BOUND_MS) : undefined,
  warmUpAnswerPath(),
]);
if (prefetched !== undefined && prefetched.outcome !== "cached") {
  logger.warn("the secret read started during INIT did not finish; the first request reads it", {
    outcome: prefetched.outcome,
    ...(prefetched.outcome === "failed" && {
      error_name: prefetched.errorName,
      error_message: prefetched.message,
    }),
  });
}
