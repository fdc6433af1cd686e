import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { APIGatewayRequestAuthorizerEventV2, Context } from "aws-lambda";
import type { JsonLogger } from "../json-logger.ts";
import { type AuthorizeDependencies, authorizeBrokerKey, type KeyDecision } from "./authorize.ts";
import type { AuthorizerConfig } from "./authorizer-config.ts";
import { type BrokerKeyContext, toBrokerKeyContext } from "./key-context.ts";
import { createBrokerKeyReader } from "./key-store.ts";
import { createPepperReader } from "./pepper.ts";

/**
 * API Gateway waits for a Lambda authorizer for at most 10 s; the clients give up well before, so
 * a slow table turns into the authorizer's own error (API Gateway's 500), not a hung caller.
 */
export const AUTHORIZER_CLIENT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
} as const;

/** The simple response (payload format 2.0): `context` only when allowed. */
export type AuthorizerResult = { isAuthorized: true; context: BrokerKeyContext } | { isAuthorized: false };

/** Collaborators a caller may supply instead of the production ones (tests, the local gateway). */
export interface AuthorizerOverrides {
  readonly dynamodb?: DynamoDBClient;
  readonly secretsManager?: SecretsManagerClient;
  readonly now?: () => number;
}

/**
 * Wires the broker-key authorizer: one DynamoDB and one Secrets Manager client per instance, the
 * pepper read once. Every decision is one log line with the key id and name (never the secret),
 * the consumer the caller names, and the outcome; a malformed key is logged without any id.
 */
export function createAuthorizer(
  config: AuthorizerConfig,
  logger: JsonLogger,
  overrides: AuthorizerOverrides = {},
) {
  // Date.now looked up per call, so a test clock (fake Date) reaches the authorizer too.
  const now = overrides.now ?? (() => Date.now());
  const dynamodb = overrides.dynamodb ?? new DynamoDBClient(AUTHORIZER_CLIENT_CONFIG);
  const secretsManager = overrides.secretsManager ?? new SecretsManagerClient(AUTHORIZER_CLIENT_CONFIG);
  const keys = createBrokerKeyReader({
    client: dynamodb,
    tableName: config.tableName,
    onMarkError: (error) =>
      logger.warn("broker key last-used mark failed", { error_name: (error as Error).name }),
  });
  const dependencies: AuthorizeDependencies = {
    hasher: createPepperReader({ client: secretsManager, secretId: config.pepperSecretId }),
    keys,
    now,
  };

  return async function authorizeRequest(
    event: APIGatewayRequestAuthorizerEventV2,
    context?: Pick<Context, "functionName" | "awsRequestId">,
  ): Promise<AuthorizerResult> {
    const startedAt = now();
    if (context) logger.addContext(context);
    const headers = event.headers ?? {};
    const line = {
      route: event.routeKey,
      request_id: event.requestContext?.requestId,
      // As the caller names it; the function checks it against the key's scope.
      consumer_id: headers["x-apideck-consumer-id"]?.slice(0, 256),
    };
    let decision: KeyDecision;
    try {
      decision = await authorizeBrokerKey(headers.authorization, dependencies);
    } catch (error) {
      logger.error("broker key authorization", {
        ...line,
        outcome: "error",
        error_name: (error as Error).name,
        error_message: (error as Error).message,
        latency_ms: now() - startedAt,
      });
      throw error;
    }
    if (!decision.allowed) {
      const log = decision.reason === "invalid_record" ? logger.error : logger.warn;
      log("broker key authorization", {
        ...line,
        outcome: "denied",
        reason: decision.reason,
        key_id: decision.keyId,
        key_name: decision.keyName,
        ...(decision.problems ? { problems: decision.problems } : {}),
        latency_ms: now() - startedAt,
      });
      return { isAuthorized: false };
    }
    const { record } = decision;
    await keys.markUsed(record, now());
    logger.info("broker key authorization", {
      ...line,
      outcome: "allowed",
      key_id: record.id,
      key_name: record.name,
      latency_ms: now() - startedAt,
    });
    return { isAuthorized: true, context: toBrokerKeyContext(record) };
  };
}
