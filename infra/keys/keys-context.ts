import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { KeyHasher } from "../../lambda/broker-keys/key-hash.ts";
import { createPepperReader } from "../../lambda/broker-keys/pepper.ts";
import { createKeyTable, type KeyTable } from "./key-table.ts";

/** Where the operator tool writes: the options every command shares. */
export interface StoreOptions {
  /** `--table`, else `BROKER_KEYS_TABLE_NAME` (the stack output `BrokerKeysTableName`). */
  readonly table?: string | undefined;
  /** `--pepper-secret-id`, else `BROKER_KEYS_PEPPER_SECRET_ID` (the stack output `BrokerKeyPepperSecretArn`). */
  readonly pepperSecretId?: string | undefined;
  /** `--endpoint`: a DynamoDB endpoint (local mode); the SDK also reads `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint?: string | undefined;
  /** `--secrets-endpoint`; the SDK also reads `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  readonly secretsEndpoint?: string | undefined;
  /** `--region`, else the SDK's (`AWS_REGION`, the profile). */
  readonly region?: string | undefined;
}

/** A usage problem: a missing or invalid option. The message names the option. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** What a command works with; tests pass their own clients. */
export interface KeysContext {
  readonly table: KeyTable;
  readonly tableName: string;
  /** The pepper's hasher, read from Secrets Manager on first use (only create and rotate need it). */
  readonly hasher: () => Promise<KeyHasher>;
  readonly now: () => Date;
  close(): void;
}

/** Clients a test supplies instead of the SDK's default configuration. */
export interface KeysClients {
  readonly dynamodb?: DynamoDBClient;
  readonly secretsManager?: SecretsManagerClient;
}

/**
 * Builds the clients with the operator's own AWS credentials (the SDK's default chain: profile,
 * SSO, environment): the tool writes to the table, which the deployed authorizer cannot.
 */
export function openKeysContext(
  options: StoreOptions,
  env: Readonly<Record<string, string | undefined>>,
  clients: KeysClients = {},
): KeysContext {
  const tableName = options.table ?? env.BROKER_KEYS_TABLE_NAME;
  if (!tableName)
    throw new UsageError(
      "--table (or BROKER_KEYS_TABLE_NAME) is required: the stack output BrokerKeysTableName",
    );
  const region = options.region ? { region: options.region } : {};
  const dynamodb =
    clients.dynamodb ??
    new DynamoDBClient({ ...region, ...(options.endpoint && { endpoint: options.endpoint }) });
  let secretsManager = clients.secretsManager;
  const pepperSecretId = options.pepperSecretId ?? env.BROKER_KEYS_PEPPER_SECRET_ID;
  let reader: (() => Promise<KeyHasher>) | undefined;
  return {
    table: createKeyTable(dynamodb, tableName),
    tableName,
    hasher: () => {
      if (!pepperSecretId)
        throw new UsageError(
          "--pepper-secret-id (or BROKER_KEYS_PEPPER_SECRET_ID) is required: the stack output BrokerKeyPepperSecretArn",
        );
      secretsManager ??= new SecretsManagerClient({
        ...region,
        ...(options.secretsEndpoint && { endpoint: options.secretsEndpoint }),
      });
      reader ??= createPepperReader({ client: secretsManager, secretId: pepperSecretId });
      return reader();
    },
    now: () => new Date(),
    close() {
      if (!clients.dynamodb) dynamodb.destroy();
      if (!clients.secretsManager) secretsManager?.destroy();
    },
  };
}
