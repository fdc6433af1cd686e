import { randomBytes } from "node:crypto";
import { type ApideckSimulator, startApideckSimulator } from "./apideck-simulator.ts";
import { createDevJwtIssuer, type DevJwtIssuer } from "./dev-jwt.ts";
import { type LambdaHandler, startLocalGateway } from "./local-gateway.ts";
import { type SecretsManagerEndpoint, startSecretsManagerEndpoint } from "./secrets-manager-endpoint.ts";

/** The secret name the local Secrets Manager endpoint holds the API key under. */
export const LOCAL_SECRET_NAME = "vault-session-broker/apideck-api-key";

/** Options of `startLocalStack`. */
export interface LocalStackOptions {
  /** Port of the gateway on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
}

/** The running service and whichever stand-ins it started. */
export interface LocalStack {
  /** The gateway's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** A development JWT accepted by `POST /sessions` (sub `local-consumer`). */
  readonly token: string;
  readonly jwt: DevJwtIssuer;
  readonly appId: string;
  /** Present unless `APIDECK_BASE_URL` was set. */
  readonly simulator?: ApideckSimulator | undefined;
  /** Present unless `APIDECK_SECRET_ID` was set. */
  readonly secretsManager?: SecretsManagerEndpoint | undefined;
  close(): Promise<void>;
}

/**
 * Starts the real handler (`lambda/handler.ts`, configured through the environment exactly as in
 * Lambda) behind a local API Gateway. With no `APIDECK_BASE_URL` an Apideck simulator stands in;
 * with no `APIDECK_SECRET_ID` a loopback Secrets Manager endpoint does, reached by the real SDK
 * client through `AWS_ENDPOINT_URL_SECRETS_MANAGER`. It sets `process.env` the way Lambda would and
 * imports the handler once, so a process runs one local stack.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = process.env;
  const devApiKey = `sk_local_${randomBytes(16).toString("hex")}`;
  const appId = env.APIDECK_APP_ID ?? "local-app-id";
  env.APIDECK_APP_ID = appId;

  let simulator: ApideckSimulator | undefined;
  if (!env.APIDECK_BASE_URL) {
    simulator = await startApideckSimulator({ apiKey: devApiKey, appId });
    env.APIDECK_BASE_URL = simulator.url;
  }
  let secretsManager: SecretsManagerEndpoint | undefined;
  if (!env.APIDECK_SECRET_ID) {
    // With a real Apideck, APIDECK_API_KEY lets you try a real key without an AWS account.
    const apiKey = simulator ? devApiKey : (env.APIDECK_API_KEY ?? devApiKey);
    secretsManager = await startSecretsManagerEndpoint({
      secrets: { [LOCAL_SECRET_NAME]: JSON.stringify({ apiKey }) },
    });
    env.APIDECK_SECRET_ID = LOCAL_SECRET_NAME;
    env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.url;
    env.AWS_REGION ??= "us-east-1";
    env.AWS_ACCESS_KEY_ID ??= "local";
    env.AWS_SECRET_ACCESS_KEY ??= "local";
  }
  env.POWERTOOLS_SERVICE_NAME ??= "vault-session-broker";
  // Local apps often redirect back to http://localhost; never enabled by the stack.
  env.ALLOW_HTTP_LOOPBACK_REDIRECTS ??= "true";

  const { handler } = (await import("../../lambda/handler.ts")) as unknown as { handler: LambdaHandler };
  const jwt = await createDevJwtIssuer();
  const gateway = await startLocalGateway({ handler, jwt, port: options.port ?? 0 });
  const token = await jwt.mint();

  return {
    url: gateway.url,
    token,
    jwt,
    appId,
    simulator,
    secretsManager,
    async close() {
      await Promise.all([gateway.close(), simulator?.close(), secretsManager?.close()]);
    },
  };
}
