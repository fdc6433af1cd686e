import type { AddressInfo } from "node:net";
import {
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { KEY_TABLE_PARTITION_KEY } from "../../lambda/broker-keys/key-item.ts";

/** The key table's name in local mode. */
export const LOCAL_KEY_TABLE_NAME = "vault-session-broker-keys";

/** A running DynamoDB-compatible server on loopback, holding the broker key table. */
export interface LocalDynamoDb {
  /** Endpoint URL without a trailing slash, for `endpoint` or `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly url: string;
  readonly tableName: string;
  /** A real `@aws-sdk/client-dynamodb` client for this endpoint (test credentials, us-east-1). */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Stops the server, dropping keep-alive sockets, and discards the in-memory data. */
  close(): Promise<void>;
}

/** Options of `startLocalDynamoDb`. */
export interface LocalDynamoDbOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** @default LOCAL_KEY_TABLE_NAME */
  readonly tableName?: string;
}

/**
 * Starts dynalite (DynamoDB's JSON wire protocol over LevelDB in memory: no Docker, no Java) on
 * 127.0.0.1 and creates the key table with the deployed table's key schema, through the real SDK.
 * Like DynamoDB it requires a SigV4 Authorization header, but, like the local Secrets Manager
 * endpoint, it does not recompute the signature: any credentials work.
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const tableName = options.tableName ?? LOCAL_KEY_TABLE_NAME;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (config: DynamoDBClientConfig = {}) =>
    new DynamoDBClient({
      region: "us-east-1",
      endpoint: url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      ...config,
    });

  const admin = client();
  try {
    await provisionKeyTable(admin, tableName);
  } finally {
    admin.destroy();
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    tableName,
    client,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // close() alone waits for the SDK's keep-alive sockets.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Creates the key table as the stack does: partition key `id` (string), on-demand. */
export async function provisionKeyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: KEY_TABLE_PARTITION_KEY, AttributeType: "S" }],
      KeySchema: [{ AttributeName: KEY_TABLE_PARTITION_KEY, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: tableName });
}
