import { composeHandler } from "./compose-handler.ts";
import { loadConfig } from "./config.ts";
import { createJsonLogger } from "./json-logger.ts";

// Cold start: runs once per Lambda instance. `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL`
// (the names Powertools uses, kept for familiarity) configure the logger; everything else is our configuration, parsed and checked here, so a bad
// deploy fails at its first start with every invalid variable named.
const logger = createJsonLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "vault-session-broker",
});

const config = (() => {
  try {
    return loadConfig(process.env);
  } catch (error) {
    logger.error("invalid configuration: the function cannot start", {
      error_message: (error as Error).message,
    });
    throw error;
  }
})();

/** The Lambda entry point: HTTP API (payload 2.0) events and direct invocations. */
export const handler = composeHandler(config, { logger });
