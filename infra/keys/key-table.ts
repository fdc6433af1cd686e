import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { fromKeyItem, KEY_TABLE_PARTITION_KEY, toKeyItem } from "../../lambda/broker-keys/key-item.ts";
import { type BrokerKeyRecord, BrokerKeyRecordSchema } from "../../lambda/broker-keys/key-record.ts";

/** The key id is not in the table. */
export class KeyNotFoundError extends Error {
  override readonly name = "KeyNotFoundError";
  constructor(id: string) {
    super(`No broker key with id ${id}.`);
  }
}

/** A key with this id already exists (a 60-bit collision, or a replayed create). */
export class KeyExistsError extends Error {
  override readonly name = "KeyExistsError";
  constructor(id: string) {
    super(`A broker key with id ${id} already exists.`);
  }
}

/** What the operator tool does to the key table; only the operator's credentials may write. */
export interface KeyTable {
  /** Conditional PutItem: never overwrites an existing id. */
  create(record: BrokerKeyRecord): Promise<void>;
  get(id: string): Promise<BrokerKeyRecord>;
  /**
   * Every key (Scan, all pages of at most `pageSize` items), oldest first; the ids of records that
   * fail the schema are returned apart.
   */
  list(pageSize?: number): Promise<{ records: BrokerKeyRecord[]; unreadable: string[] }>;
  /** Sets `revoked` (idempotent; the first `revoked_at` is kept). */
  revoke(id: string, now: Date): Promise<void>;
  /** Moves `expires_at` to `at` if that is earlier than the current expiry (never extends a key). */
  expireBy(id: string, at: Date): Promise<void>;
}

/** The key table through the real DynamoDB client (deployed, or local with `--endpoint`). */
export function createKeyTable(client: DynamoDBClient, tableName: string): KeyTable {
  const key = (id: string) => ({ [KEY_TABLE_PARTITION_KEY]: { S: id } });
  return {
    async create(record) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toKeyItem(record),
            ConditionExpression: "attribute_not_exists(id)",
          }),
        );
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") throw new KeyExistsError(record.id);
        throw error;
      }
    },

    async get(id) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(id), ConsistentRead: true }),
      );
      if (Item === undefined) throw new KeyNotFoundError(id);
      return BrokerKeyRecordSchema.parse(fromKeyItem(Item));
    },

    async list(pageSize) {
      const records: BrokerKeyRecord[] = [];
      const unreadable: string[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            ConsistentRead: true,
            ExclusiveStartKey: start,
            Limit: pageSize,
          }),
        );
        for (const item of page.Items ?? []) {
          const parsed = BrokerKeyRecordSchema.safeParse(fromKeyItem(item));
          if (parsed.success) records.push(parsed.data);
          else unreadable.push(item.id?.S ?? "(no id)");
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      records.sort((a, b) => a.created_at.localeCompare(b.created_at));
      return { records, unreadable };
    },

    async revoke(id, now) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(id),
            UpdateExpression: "SET revoked = :true, revoked_at = if_not_exists(revoked_at, :now)",
            ConditionExpression: "attribute_exists(id)",
            ExpressionAttributeValues: { ":true": { BOOL: true }, ":now": { S: now.toISOString() } },
          }),
        );
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") throw new KeyNotFoundError(id);
        throw error;
      }
    },

    async expireBy(id, at) {
      const current = await this.get(id);
      if (current.expires_at !== undefined && Date.parse(current.expires_at) <= at.getTime()) return;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(id),
            UpdateExpression: "SET expires_at = :at",
            ConditionExpression:
              "attribute_exists(id) AND (attribute_not_exists(expires_at) OR expires_at > :at)",
            ExpressionAttributeValues: { ":at": { S: at.toISOString() } },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
        // Someone set an earlier expiry meanwhile (fine), or deleted the key (get says so).
        await this.get(id);
      }
    },
  };
}
