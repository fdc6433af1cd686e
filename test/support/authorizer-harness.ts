import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { createKeyTable, type KeyTable } from "../../infra/keys/key-table.ts";
import { type LocalDynamoDb, startLocalDynamoDb } from "../../infra/local/dynamodb-local.ts";
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from "../../infra/local/secrets-manager-endpoint.ts";
import { loadAuthorizerConfig } from "../../lambda/broker-keys/authorizer-config.ts";
import {
  AUTHORIZER_CLIENT_CONFIG,
  type AuthorizerResult,
  createAuthorizer,
} from "../../lambda/broker-keys/create-authorizer.ts";
import type { BrokerKeyRecord } from "../../lambda/broker-keys/key-record.ts";
import { createJsonLogger } from "../../lambda/json-logger.ts";
import requestEvent from "../events/http-api/broker-key-authorizer-request.json" with { type: "json" };
import { TEST_PEPPER, testKey } from "./broker-key-fixtures.ts";

/** The secret name the pepper is stored under in the harness. */
export const PEPPER_SECRET_NAME = "vault-session-broker/broker-key-pepper";

/** The real authorizer over dynalite and the loopback Secrets Manager endpoint. */
export interface AuthorizerHarness {
  readonly dynamo: LocalDynamoDb;
  readonly secretsManager: SecretsManagerEndpoint;
  readonly table: KeyTable;
  /** The authorizer's DynamoDB client: tests spy on its `send` to count table calls. */
  readonly dynamodb: DynamoDBClient;
  /** Everything the authorizer logged, one JSON line per entry. */
  readonly logText: () => string;
  /** Moves the authorizer's clock (for expiry), in ms from now. */
  advance(ms: number): void;
  /** Stores a new key (hashed with the harness pepper) and returns its text and record. */
  createKey(fields?: Partial<BrokerKeyRecord>): Promise<{ text: string; record: BrokerKeyRecord }>;
  /** Calls the authorizer with the fixture event, its Authorization header (and identity source) set. */
  authorize(authorization: string | undefined, headers?: Record<string, string>): Promise<AuthorizerResult>;
  /** Authorizer log lines. */
  decisions(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts the stores and composes the authorizer exactly as `lambda/authorizer.ts` does. */
export async function startAuthorizerHarness(): Promise<AuthorizerHarness> {
  const dynamo = await startLocalDynamoDb();
  const secretsManager = await startSecretsManagerEndpoint({
    secrets: { [PEPPER_SECRET_NAME]: TEST_PEPPER },
  });
  const dynamodb = dynamo.client(AUTHORIZER_CLIENT_CONFIG);
  const admin = dynamo.client();
  const sm = new SecretsManagerClient({
    region: "us-east-1",
    endpoint: secretsManager.url,
    credentials: secretsManager.credentials,
    ...AUTHORIZER_CLIENT_CONFIG,
  });
  const written: string[] = [];
  let skipped = 0;
  const config = loadAuthorizerConfig({
    BROKER_KEYS_TABLE_NAME: dynamo.tableName,
    BROKER_KEYS_PEPPER_SECRET_ID: PEPPER_SECRET_NAME,
  });
  const logger = createJsonLogger({
    serviceName: "vault-session-broker-authorizer",
    level: "INFO",
    write: (line) => written.push(line),
  });
  const authorizer = createAuthorizer(config, logger, {
    dynamodb,
    secretsManager: sm,
    now: () => Date.now() + skipped,
  });
  const table = createKeyTable(admin, dynamo.tableName);

  return {
    dynamo,
    secretsManager,
    table,
    dynamodb,
    logText: () => written.join(""),
    advance: (ms) => {
      skipped += ms;
    },
    async createKey(fields) {
      const { text, record } = testKey(fields);
      await table.create(record);
      return { text, record };
    },
    authorize(authorization, headers = {}) {
      const event = structuredClone(requestEvent) as unknown as APIGatewayRequestAuthorizerEventV2;
      const all: Record<string, string | undefined> = { ...event.headers, ...headers, authorization };
      if (authorization === undefined) delete all.authorization;
      event.headers = all;
      event.identitySource = authorization === undefined ? [] : [authorization];
      return authorizer(event, { functionName: "vault-session-broker-authorizer", awsRequestId: "req-1" });
    },
    decisions: () =>
      written
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.message === "broker key authorization"),
    async close() {
      dynamodb.destroy();
      admin.destroy();
      sm.destroy();
      await Promise.all([dynamo.close(), secretsManager.close()]);
    },
  };
}
