import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { KEY_TABLE_PARTITION_KEY } from "../../lambda/broker-keys/key-item.ts";
import { generateCredentials } from "./local-credentials.ts";
import { readBodyBytes, startLoopbackServer, writeAnswer } from "./loopback-server.ts";
import {
  type AwsCredentials,
  createSigV4Verifier,
  type SigV4Failure,
  sigV4ErrorType,
} from "./sigv4-verifier.ts";

/** The key table's name in local mode. */
export const LOCAL_KEY_TABLE_NAME = "vault-session-broker-keys";

/** A running DynamoDB-compatible endpoint on loopback, holding the broker key table. */
export interface LocalDynamoDb {
  /** Endpoint URL without a trailing slash, for `endpoint` or `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly url: string;
  readonly tableName: string;
  readonly region: string;
  /** The only credentials whose signatures the endpoint accepts. */
  readonly credentials: AwsCredentials;
  /** A real `@aws-sdk/client-dynamodb` client for this endpoint, signing with `credentials`. */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Stops the endpoint and dynalite, dropping keep-alive sockets, and discards the data. */
  close(): Promise<void>;
}

/** Options of `startLocalDynamoDb`. */
export interface LocalDynamoDbOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** @default LOCAL_KEY_TABLE_NAME */
  readonly tableName?: string;
  /** Region requests must be signed for. @default "us-east-1" */
  readonly region?: string;
  /** The credentials accepted. @default a generated pair */
  readonly credentials?: AwsCredentials;
}

/**
 * Starts dynalite (DynamoDB's JSON wire protocol over LevelDB in memory: no Docker, no Java) on a
 * private Unix socket, behind a loopback endpoint that first checks the Host (loopback-server.ts)
 * and verifies each request's SigV4 signature as DynamoDB does (service `dynamodb`, the region,
 * the given credentials): dynalite itself only checks that a signature header is present, and
 * answers any origin with CORS, so it gets no TCP port of its own. Then creates the key table with
 * the deployed table's key schema, through the real SDK.
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const tableName = options.tableName ?? LOCAL_KEY_TABLE_NAME;
  const region = options.region ?? "us-east-1";
  const credentials = options.credentials ?? generateCredentials("LOCALDB");
  const socketDir = mkdtempSync(join(tmpdir(), "dynalite-"));
  const socketPath = join(socketDir, "dynalite.sock");
  // Also when the process exits without closing (npm start's start-up failing, process.exit).
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  process.once("exit", removeSocketDir);
  const inner = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    inner.once("error", reject);
    inner.listen(socketPath, () => resolve());
  });
  const verify = createSigV4Verifier({ service: "dynamodb", region, credentials: [credentials] });

  const front = await startLoopbackServer(async (req, res) => {
    const body = await readBodyBytes(req, 16 * 1024 * 1024);
    const signer = verify({
      method: req.method ?? "",
      url: req.url ?? "/",
      rawHeaders: req.rawHeaders,
      body,
    });
    if (!signer.ok) return writeAnswer(res, signatureError(signer.failure, signer.message));
    const forwarded = request(
      { socketPath, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    forwarded.end(body);
  }, options.port);

  const client = (config: DynamoDBClientConfig = {}) =>
    new DynamoDBClient({ region, endpoint: front.url, credentials, ...config });
  const admin = client();
  try {
    await provisionKeyTable(admin, tableName);
  } finally {
    admin.destroy();
  }

  let closed: Promise<void> | undefined;
  return {
    url: front.url,
    tableName,
    region,
    credentials,
    client,
    close() {
      // The socket's directory goes first: nothing connects any more once the front is closing.
      closed ??= front.close().then(() => {
        removeSocketDir();
        process.off("exit", removeSocketDir);
        return new Promise<void>((resolve, reject) => {
          inner.close((error?: Error) => (error ? reject(error) : resolve()));
          // close() alone waits for the front's keep-alive sockets.
          inner.closeAllConnections();
        });
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

/** DynamoDB's answer to a refused signature (AWS JSON 1.0: `__type` with the coral prefix, HTTP 400). */
function signatureError(failure: SigV4Failure, message: string) {
  const type = sigV4ErrorType(failure);
  return {
    status: 400,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": type },
    body: JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message }),
  };
}
