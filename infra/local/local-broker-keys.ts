import { randomBytes } from "node:crypto";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadAuthorizerConfig } from "../../lambda/broker-keys/authorizer-config.ts";
import { AUTHORIZER_CLIENT_CONFIG, createAuthorizer } from "../../lambda/broker-keys/create-authorizer.ts";
import { createKeyHasher } from "../../lambda/broker-keys/key-hash.ts";
import { createJsonLogger } from "../../lambda/json-logger.ts";
import { parseConsumerScope } from "../../lambda/session/consumer-scope.ts";
import { BROKER_KEY_ROUTE_PATH } from "../broker-key-settings.ts";
import { type IssuedKey, issueBrokerKey } from "../keys/issue-key.ts";
import { createKeyTable, type KeyTable } from "../keys/key-table.ts";
import { type LocalDynamoDb, startLocalDynamoDb } from "./dynamodb-local.ts";
import {
  type AuthorizerHandler,
  type LambdaAuthorizerRoute,
  lambdaAuthorizerRoute,
} from "./lambda-authorizer-route.ts";
import { type SecretsManagerEndpoint, startSecretsManagerEndpoint } from "./secrets-manager-endpoint.ts";
import type { AwsCredentials } from "./sigv4-verifier.ts";

/** The secret name the local pepper is stored under. */
export const LOCAL_PEPPER_SECRET_NAME = "vault-session-broker/broker-key-pepper";

/** The authorizer's environment, as the stack sets it on the deployed authorizer function. */
export type AuthorizerEnvironment = Record<
  | "BROKER_KEYS_TABLE_NAME"
  | "BROKER_KEYS_PEPPER_SECRET_ID"
  | "AWS_ENDPOINT_URL_DYNAMODB"
  | "AWS_ENDPOINT_URL_SECRETS_MANAGER"
  | "AWS_REGION"
  | "AWS_ACCESS_KEY_ID"
  | "AWS_SECRET_ACCESS_KEY"
  | "POWERTOOLS_SERVICE_NAME",
  string
>;

/** Options of `startLocalBrokerKeys`. */
export interface LocalBrokerKeysOptions {
  readonly region: string;
  /** Consumer scope of the key created at start (comma-separated globs). @default "*" */
  readonly scope?: string;
  /** The local stack's Secrets Manager endpoint, to hold the pepper too. @default a dedicated one */
  readonly secretsManager?: SecretsManagerEndpoint;
  /** Authorizer cache TTL. @default AUTHORIZER_CACHE_TTL_SECONDS */
  readonly ttlSeconds?: number;
  /**
   * Loads the authorizer from its environment, e.g. the bundled `lambda/authorizer.ts`. @default the
   * same wiring (`createAuthorizer`) composed with clients for the local endpoints
   */
  readonly loadAuthorizer?: (env: AuthorizerEnvironment) => Promise<AuthorizerHandler>;
}

/** The broker-key side of local mode: key table, pepper, authorizer route and a first key. */
export interface LocalBrokerKeys {
  readonly route: LambdaAuthorizerRoute;
  readonly dynamo: LocalDynamoDb;
  readonly secretsManager: SecretsManagerEndpoint;
  /** The operator's view of the table, for tests (create, revoke). */
  readonly table: KeyTable;
  /** The key created at start; its text is printed once by `npm start`. */
  readonly key: IssuedKey;
  /** The environment under which `npm run keys` (or the authorizer) reaches the local stores. */
  readonly environment: AuthorizerEnvironment;
  /** Issues another key with the local pepper (tests). */
  issue(spec: Parameters<typeof issueBrokerKey>[2]): Promise<IssuedKey>;
  close(): Promise<void>;
}

/**
 * Starts the local key store (dynalite behind SigV4) and the pepper (a fresh random one, in the
 * stack's Secrets Manager endpoint or a dedicated one), both accepting the same credentials, as
 * one local account. Builds the authorizer route of `POST /sdk/vault/sessions` and issues a first
 * key scoped to `scope`, with the same code the operator tool uses.
 */
export async function startLocalBrokerKeys(options: LocalBrokerKeysOptions): Promise<LocalBrokerKeys> {
  const { region } = options;
  const scope = parseConsumerScope(options.scope ?? "*");
  // Named like the function's own configuration error, so `npm start` answers it in one line.
  if (!scope.ok)
    throw Object.assign(new Error(`LOCAL_BROKER_KEY_SCOPE ${scope.problem}`), {
      name: "InvalidEnvironmentError",
    });
  const pepper = randomBytes(48).toString("base64url");
  const dedicated = options.secretsManager === undefined;
  const secretsManager =
    options.secretsManager ??
    (await startSecretsManagerEndpoint({ secrets: { [LOCAL_PEPPER_SECRET_NAME]: pepper }, region }));
  if (!dedicated) secretsManager.putSecret(LOCAL_PEPPER_SECRET_NAME, pepper);
  const credentials: AwsCredentials = secretsManager.credentials;
  const dynamo = await startLocalDynamoDb({ region, credentials });
  const environment: AuthorizerEnvironment = {
    BROKER_KEYS_TABLE_NAME: dynamo.tableName,
    BROKER_KEYS_PEPPER_SECRET_ID: LOCAL_PEPPER_SECRET_NAME,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: "vault-session-broker-authorizer",
  };

  const clients = {
    dynamodb: dynamo.client(AUTHORIZER_CLIENT_CONFIG),
    secretsManager: secretsManagerClient(environment),
  };
  const authorizer =
    (await options.loadAuthorizer?.(environment)) ??
    createAuthorizer(
      loadAuthorizerConfig(environment),
      createJsonLogger({ serviceName: environment.POWERTOOLS_SERVICE_NAME }),
      clients,
    );
  const route = lambdaAuthorizerRoute(BROKER_KEY_ROUTE_PATH, {
    authorizer: authorizer as AuthorizerHandler,
    region,
    ...(options.ttlSeconds !== undefined && { ttlSeconds: options.ttlSeconds }),
  });

  const admin = dynamo.client();
  const table = createKeyTable(admin, dynamo.tableName);
  const hasher = createKeyHasher(pepper);
  const issue = (spec: Parameters<typeof issueBrokerKey>[2]) => issueBrokerKey(table, hasher, spec);
  const key = await issue({ name: "local", scope: scope.scope.globs });

  return {
    route,
    dynamo,
    secretsManager,
    table,
    key,
    environment,
    issue,
    async close() {
      admin.destroy();
      clients.dynamodb.destroy();
      clients.secretsManager.destroy();
      await Promise.all([dynamo.close(), dedicated ? secretsManager.close() : undefined]);
    },
  };
}

function secretsManagerClient(env: AuthorizerEnvironment): SecretsManagerClient {
  return new SecretsManagerClient({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    ...AUTHORIZER_CLIENT_CONFIG,
  });
}
