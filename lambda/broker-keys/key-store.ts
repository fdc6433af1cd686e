import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { formatProblem } from "../environment-variable.ts";
import { toFieldProblems } from "../errors/field-problems.ts";
import { fromKeyItem, KEY_TABLE_PARTITION_KEY } from "./key-item.ts";
import { type BrokerKeyRecord, BrokerKeyRecordSchema } from "./key-record.ts";

/** `last_used_at` is written at most this often per key: a usage signal, not an access log. */
export const LAST_USED_INTERVAL_MS = 5 * 60_000;
/** How long a request waits for the `last_used_at` write before answering without it. */
export const LAST_USED_WAIT_MS = 150;

/** What a look-up found: the record, nothing, or a record that does not match the schema. */
export type KeyLookup =
  | { readonly status: "found"; readonly record: BrokerKeyRecord }
  | { readonly status: "missing" }
  | { readonly status: "invalid"; readonly problems: readonly string[] };

/** The authorizer's view of the key table: one read per look-up, and a cheap usage mark. */
export interface BrokerKeyReader {
  /** One strongly consistent GetItem, so a revocation counts from the moment it is written. */
  get(id: string): Promise<KeyLookup>;
  /**
   * Sets `last_used_at` when the stored one is older than `LAST_USED_INTERVAL_MS`; waits at most
   * `LAST_USED_WAIT_MS` and never rejects: a failed usage mark must not fail the request.
   */
  markUsed(record: BrokerKeyRecord, now: number): Promise<void>;
}

/** Options of `createBrokerKeyReader`. */
export interface BrokerKeyReaderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Told about a failed usage mark (never rethrown). */
  readonly onMarkError?: (error: unknown) => void;
}

/** The DynamoDB-backed reader used by the authorizer. */
export function createBrokerKeyReader(options: BrokerKeyReaderOptions): BrokerKeyReader {
  const { client, tableName, onMarkError = () => {} } = options;
  return {
    async get(id) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [KEY_TABLE_PARTITION_KEY]: { S: id } },
          ConsistentRead: true,
        }),
      );
      if (Item === undefined) return { status: "missing" };
      const parsed = BrokerKeyRecordSchema.safeParse(fromKeyItem(Item), { reportInput: true });
      if (!parsed.success) {
        return {
          status: "invalid",
          problems: toFieldProblems(parsed.error.issues).map(formatProblem),
        };
      }
      return { status: "found", record: parsed.data };
    },

    async markUsed(record, now) {
      const last = record.last_used_at === undefined ? 0 : Date.parse(record.last_used_at);
      if (now - last < LAST_USED_INTERVAL_MS) return;
      const at = new Date(now).toISOString();
      const write = client
        .send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { [KEY_TABLE_PARTITION_KEY]: { S: record.id } },
            UpdateExpression: "SET last_used_at = :at",
            // Never recreate a deleted key, never move the mark backwards.
            ConditionExpression:
              "attribute_exists(id) AND (attribute_not_exists(last_used_at) OR last_used_at < :at)",
            ExpressionAttributeValues: { ":at": { S: at } },
          }),
        )
        .then(
          () => {},
          (error: unknown) => {
            if ((error as { name?: string }).name !== "ConditionalCheckFailedException") onMarkError(error);
          },
        );
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, LAST_USED_WAIT_MS);
      });
      await Promise.race([write, waited]);
      clearTimeout(timer);
    },
  };
}
