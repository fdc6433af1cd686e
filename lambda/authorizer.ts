import { loadAuthorizerConfig } from "./broker-keys/authorizer-config.ts";
import { createAuthorizer } from "./broker-keys/create-authorizer.ts";
import { createJsonLogger } from "./json-logger.ts";

// Cold start of the broker-key authorizer, a Lambda of its own in front of `POST /sdk/vault/sessions`:
// it sits on the path of every uncached request, so it imports only the DynamoDB and Secrets
// Manager clients, zod/mini and the logger (no Middy, no session schema).
const logger = createJsonLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "vault-session-broker-authorizer",
});

const config = (() => {
  try {
    return loadAuthorizerConfig(process.env);
  } catch (error) {
    logger.error("invalid configuration: the authorizer cannot start", {
      error_message: (error as Error).message,
    });
    throw error;
  }
})();

/** The Lambda entry point: an HTTP API REQUEST authorizer (payload format 2.0, simple responses). */
export const handler = createAuthorizer(config, logger);
