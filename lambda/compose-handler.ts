import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createApideckClient } from "./apideck/client.ts";
import type { ApideckTransport } from "./apideck/transport.ts";
import { createSessionBroker } from "./broker.ts";
import type { BrokerConfig } from "./config.ts";
import { createHandler } from "./create-handler.ts";
import { createJsonLogger, type JsonLogger } from "./json-logger.ts";
import { type ApiKeyCache, createApiKeyReader } from "./secret/reader.ts";

/**
 * The SDK's own retries (3 attempts, with backoff) cover throttling; the timeouts keep a hung
 * connection from eating the whole request budget. `throwOnRequestTimeout` matters: without it
 * the SDK only logs a warning when `requestTimeout` passes, and keeps waiting. The endpoint comes
 * from the SDK's standard configuration (`AWS_ENDPOINT_URL_SECRETS_MANAGER` locally).
 */
export const SECRETS_MANAGER_CLIENT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;

/** Collaborators a caller may supply instead of the production defaults (tests, the local runner). */
export interface ComposeOverrides {
  readonly logger?: JsonLogger;
  readonly secretsManager?: SecretsManagerClient;
  readonly transport?: ApideckTransport;
  /** Clock for the key cache's TTL and the request deadline. @default Date.now */
  readonly now?: () => number;
}

/** One instance's handler and its key cache, which INIT may fill before the first request. */
export interface ComposedInstance {
  readonly handler: ReturnType<typeof createHandler>;
  readonly apiKeys: ApiKeyCache;
}

/**
 * Wires the production handler from a parsed configuration: one Secrets Manager client, one key
 * cache and one Apideck client per instance, reused by every request.
 */
export function composeHandler(config: BrokerConfig, overrides: ComposeOverrides = {}) {
  return composeInstance(config, overrides).handler;
}

/** {@link composeHandler}, with the key cache handed out too, for the Lambda entry's INIT read. */
export function composeInstance(config: BrokerConfig, overrides: ComposeOverrides = {}): ComposedInstance {
  const logger = overrides.logger ?? createJsonLogger({ serviceName: "vault-session-broker" });
  const secretsManager = overrides.secretsManager ?? new SecretsManagerClient(SECRETS_MANAGER_CLIENT_CONFIG);
  const now = overrides.now ?? Date.now;
  const apiKeys = createApiKeyReader({
    client: secretsManager,
    secretId: config.secretId,
    ttlMs: config.secretCacheTtlMs,
    now,
  });
  const apideck = createApideckClient({
    baseUrl: config.apideckBaseUrl,
    attemptTimeoutMs: config.upstreamTimeoutMs,
    now,
    ...(overrides.transport ? { transport: overrides.transport } : {}),
  });
  const handler = createHandler({
    config,
    logger,
    now,
    broker: createSessionBroker({ appId: config.appId, apiKeys, apideck, now }),
  });
  return { handler, apiKeys };
}
