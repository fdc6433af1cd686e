import { Logger } from "@aws-lambda-powertools/logger";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createApideckClient } from "./apideck-client.ts";
import { createSessionBroker } from "./broker.ts";
import type { BrokerConfig } from "./config.ts";
import { createHandler } from "./create-handler.ts";
import { createApiKeyReader } from "./secret-reader.ts";

/** Collaborators a caller may supply instead of the production defaults (tests, the local runner). */
export interface ComposeOverrides {
  readonly logger?: Logger;
  readonly secretsManager?: SecretsManagerClient;
  readonly fetch?: typeof fetch;
}

/**
 * Wires the production handler from a parsed configuration: one Secrets Manager client, one key
 * cache and one Apideck client per instance, reused by every request.
 */
export function composeHandler(config: BrokerConfig, overrides: ComposeOverrides = {}) {
  const logger = overrides.logger ?? new Logger({ serviceName: "vault-session-broker" });
  // The SDK's own retries (3 attempts, with backoff) cover throttling; the timeouts keep a hung
  // connection from eating the whole request budget. The endpoint comes from the SDK's standard
  // configuration (AWS_ENDPOINT_URL_SECRETS_MANAGER locally).
  const secretsManager =
    overrides.secretsManager ??
    new SecretsManagerClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } });
  const apiKeys = createApiKeyReader({ client: secretsManager, secretId: config.secretId, ttlMs: config.secretCacheTtlMs });
  const apideck = createApideckClient({
    baseUrl: config.apideckBaseUrl,
    attemptTimeoutMs: config.upstreamTimeoutMs,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
  return createHandler({ config, logger, broker: createSessionBroker({ appId: config.appId, apiKeys, apideck }) });
}
