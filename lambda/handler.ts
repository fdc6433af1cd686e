import { Logger } from "@aws-lambda-powertools/logger";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createApideckClient } from "./apideck-client.ts";
import { createSessionBroker } from "./broker.ts";
import { loadConfig } from "./config.ts";
import { createHandler } from "./create-handler.ts";
import { createApiKeyReader } from "./secret-reader.ts";

// Cold start: everything here runs once per Lambda instance. `POWERTOOLS_SERVICE_NAME` and
// `POWERTOOLS_LOG_LEVEL` configure the logger; the rest is our own configuration (config.ts).
const logger = new Logger({ serviceName: "vault-session-broker" });

const config = (() => {
  try {
    return loadConfig(process.env);
  } catch (error) {
    logger.error("invalid configuration: the function cannot start", error as Error);
    throw error;
  }
})();

// The SDK's own retries (3 attempts, with backoff) cover throttling; the timeouts keep a hung
// connection from eating the whole request budget. The endpoint comes from the SDK's standard
// configuration (AWS_ENDPOINT_URL_SECRETS_MANAGER locally).
const secretsManager = new SecretsManagerClient({
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
});

/** The Lambda entry point (HTTP API payload 2.0 events and direct invocations). */
export const handler = createHandler({
  config,
  logger,
  broker: createSessionBroker({
    appId: config.appId,
    apiKeys: createApiKeyReader({ client: secretsManager, secretId: config.secretId, ttlMs: config.secretCacheTtlMs }),
    apideck: createApideckClient({ baseUrl: config.apideckBaseUrl, attemptTimeoutMs: config.upstreamTimeoutMs }),
  }),
});
