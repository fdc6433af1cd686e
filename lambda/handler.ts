import { composeHandler } from "./compose-handler.ts";
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

/** The Lambda entry point: HTTP API (payload 2.0) events and direct invocations. */
export const handler = composeHandler(config, { logger });
