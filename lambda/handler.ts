import { Logger } from "@aws-lambda-powertools/logger";
import { composeHandler } from "./compose-handler.ts";
import { loadConfig } from "./config.ts";

// Cold start: runs once per Lambda instance. `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL`
// configure the logger; everything else is our configuration, parsed and checked here, so a bad
// deploy fails at its first start with every invalid variable named.
const logger = new Logger({ serviceName: "vault-session-broker" });

const config = (() => {
  try {
    return loadConfig(process.env);
  } catch (error) {
    logger.error("invalid configuration: the function cannot start", error as Error);
    throw error;
  }
})();

/** The Lambda entry point: HTTP API (payload 2.0) events and direct invocations. */
export const handler = composeHandler(config, { logger });
