import { randomBytes } from "node:crypto";
import { parseCorsOrigins } from "../cors-settings.ts";
import { type ApideckSimulator, startApideckSimulator } from "./apideck-simulator.ts";
import { createDevJwtIssuer, type DevJwtIssuer } from "./dev-jwt.ts";
import { iamRoute, jwtRoute } from "./gateway-routes.ts";
import {
  type LocalBrokerKeys,
  type LocalBrokerKeysOptions,
  startLocalBrokerKeys,
} from "./local-broker-keys.ts";
import { callerCredentialsFrom, generateCredentials } from "./local-credentials.ts";
import { type LambdaHandler, startLocalGateway } from "./local-gateway.ts";
import { type SecretsManagerEndpoint, startSecretsManagerEndpoint } from "./secrets-manager-endpoint.ts";
import { type AwsCredentials, createSigV4Verifier } from "./sigv4-verifier.ts";

// The deployed API's two route paths (http-api-routes.ts, not imported: it would load aws-cdk-lib).
const IAM_ROUTE_PATH = "/vault/sessions";
const JWT_ROUTE_PATH = "/sessions";

/** The secret name the local Secrets Manager endpoint holds the API key under. */
export const LOCAL_SECRET_NAME = "vault-session-broker/apideck-api-key";

/** Options of `startLocalStack`; each defaults to its environment variable. */
export interface LocalStackOptions {
  /** Port of the gateway on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** Credentials callers of `POST /vault/sessions` sign with. @default LOCAL_ACCESS_KEY_ID / LOCAL_SECRET_ACCESS_KEY, else generated */
  readonly callerCredentials?: AwsCredentials;
  /** Browser origins allowed by CORS. @default CORS_ORIGINS (comma separated), else none */
  readonly corsOrigins?: readonly string[];
  /** Scope of the broker key created at start. @default LOCAL_BROKER_KEY_SCOPE, else "*" */
  readonly brokerKeyScope?: string;
  /** Loads the broker-key authorizer (tests: the bundle). @default the same wiring, composed in-process */
  readonly loadAuthorizer?: LocalBrokerKeysOptions["loadAuthorizer"];
  /**
   * Loads the function once the environment is set, as Lambda's cold start does; tests pass one
   * that loads the deployment bundle. @default imports `lambda/handler.ts`
   */
  readonly loadHandler?: () => LambdaHandler | Promise<LambdaHandler>;
}

/** The running service and whichever stand-ins it started. */
export interface LocalStack {
  /** The gateway's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The region requests to `POST /vault/sessions` are signed for (`AWS_REGION`, else us-east-1). */
  readonly region: string;
  /** The credentials the IAM route accepts, for `curl --aws-sigv4` or a signing client. */
  readonly credentials: AwsCredentials;
  /** Browser origins the gateway's CORS allows. */
  readonly corsOrigins: readonly string[];
  /** A development JWT accepted by `POST /sessions` (sub `local-consumer`). */
  readonly token: string;
  readonly jwt: DevJwtIssuer;
  readonly appId: string;
  /** Present unless `APIDECK_BASE_URL` was set. */
  readonly simulator?: ApideckSimulator | undefined;
  /** Present unless `APIDECK_SECRET_ID` was set. */
  readonly secretsManager?: SecretsManagerEndpoint | undefined;
  /** `POST /sdk/vault/sessions`: key table, authorizer route and the key created at start. */
  readonly brokerKeys: LocalBrokerKeys;
  close(): Promise<void>;
}

/**
 * Starts the real handler (`lambda/handler.ts`, configured through the environment exactly as in
 * Lambda) behind a local API Gateway whose IAM route verifies SigV4 against the caller credentials.
 * With no `APIDECK_BASE_URL` an Apideck simulator stands in; with no `APIDECK_SECRET_ID` a loopback
 * Secrets Manager endpoint does, reached by the real SDK client through
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` and signing with credentials of the function's own (separate
 * from the callers', as a Lambda role's are). It sets `process.env` the way Lambda would and
 * imports the handler once, so a process runs one local stack.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = process.env;
  const region = env.AWS_REGION || "us-east-1";
  const credentials = options.callerCredentials ?? callerCredentialsFrom(env);
  const corsOrigins = options.corsOrigins ?? parseCorsOriginsVariable(env.CORS_ORIGINS);
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
    const functionCredentials = generateCredentials("LOCALFN");
    secretsManager = await startSecretsManagerEndpoint({
      secrets: { [LOCAL_SECRET_NAME]: JSON.stringify({ apiKey }) },
      region,
      credentials: functionCredentials,
    });
    env.APIDECK_SECRET_ID = LOCAL_SECRET_NAME;
    env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.url;
    env.AWS_REGION = region;
    // The function's role, as Lambda hands it over: environment credentials win over any profile.
    env.AWS_ACCESS_KEY_ID = functionCredentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = functionCredentials.secretAccessKey;
    delete env.AWS_SESSION_TOKEN;
  }
  env.POWERTOOLS_SERVICE_NAME ??= "vault-session-broker";
  // Local apps often redirect back to http://localhost; never enabled by the stack.
  env.ALLOW_HTTP_LOOPBACK_REDIRECTS ??= "true";

  const handler = await (options.loadHandler ?? importSourceHandler)();
  const jwt = await createDevJwtIssuer();
  const verifier = createSigV4Verifier({ service: "execute-api", region, credentials: [credentials] });
  const brokerKeys = await startLocalBrokerKeys({
    region,
    secretsManager,
    scope: options.brokerKeyScope ?? (env.LOCAL_BROKER_KEY_SCOPE || "*"),
    ...(options.loadAuthorizer && { loadAuthorizer: options.loadAuthorizer }),
  });
  const gateway = await startLocalGateway({
    handler,
    routes: [iamRoute(IAM_ROUTE_PATH, verifier), jwtRoute(JWT_ROUTE_PATH, jwt), brokerKeys.route],
    corsOrigins,
    region,
    port: options.port ?? 0,
  }).catch(async (error: unknown) => {
    // A busy port: the key store must not outlive the failed start.
    await brokerKeys.close();
    throw error;
  });
  const token = await jwt.mint();

  return {
    url: gateway.url,
    region,
    credentials,
    corsOrigins,
    token,
    jwt,
    appId,
    simulator,
    secretsManager,
    brokerKeys,
    async close() {
      await Promise.all([gateway.close(), brokerKeys.close(), simulator?.close(), secretsManager?.close()]);
    },
  };
}

async function importSourceHandler(): Promise<LambdaHandler> {
  const { handler } = (await import("../../lambda/handler.ts")) as unknown as { handler: LambdaHandler };
  return handler;
}

function parseCorsOriginsVariable(text: string | undefined): string[] {
  try {
    return parseCorsOrigins(text);
  } catch (error) {
    throw new Error(`CORS_ORIGINS ${(error as Error).message}`);
  }
}
