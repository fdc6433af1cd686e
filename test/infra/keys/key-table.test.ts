import { type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createKeyTable, KeyExistsError, KeyNotFoundError } from "../../../infra/keys/key-table.ts";
import {
  type LocalDynamoDb,
  provisionKeyTable,
  startLocalDynamoDb,
} from "../../../infra/local/dynamodb-local.ts";
import { toKeyItem } from "../../../lambda/broker-keys/key-item.ts";
import { testKey } from "../../support/broker-key-fixtures.ts";

describe("Infra: key table (operator writes)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let tableName: string;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    client = dynamo.client();
  });

  // A fresh table per test, so list() sees only that test's keys.
  beforeEach(async () => {
    tableName = `keys-${++tables}`;
    await provisionKeyTable(client, tableName);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.close();
  });

  it("creates a key and reads it back", async () => {
    const table = createKeyTable(client, tableName);
    const { record } = testKey({ name: "ci", consumer_scope: ["tenant-a:*"] });

    await table.create(record);

    expect(await table.get(record.id)).toEqual(record);
  });

  it("never overwrites an existing id", async () => {
    const table = createKeyTable(client, tableName);
    const { record } = testKey();
    await table.create(record);

    await expect(table.create({ ...record, name: "impostor" })).rejects.toThrow(KeyExistsError);
    expect((await table.get(record.id)).name).toBe(record.name);
  });

  it("lists every key over several pages, oldest first, and sets unreadable records apart", async () => {
    const table = createKeyTable(client, tableName);
    const records = [3, 1, 2, 5, 4].map(
      (day) => testKey({ created_at: `2026-11-0${day}T00:00:00.000Z` }).record,
    );
    for (const record of records) await table.create(record);
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...toKeyItem(testKey().record), id: { S: "broken000000" }, hash: { N: "1" } },
      }),
    );

    const listed = await table.list(2);

    expect(listed.records.map((r) => r.created_at.slice(0, 10))).toEqual([
      "2026-11-01",
      "2026-11-02",
      "2026-11-03",
      "2026-11-04",
      "2026-11-05",
    ]);
    expect(listed.unreadable).toEqual(["broken000000"]);
  });

  it("revokes a key once: a second revoke keeps the first time", async () => {
    const table = createKeyTable(client, tableName);
    const { record } = testKey();
    await table.create(record);

    await table.revoke(record.id, new Date("2027-01-01T00:00:00.000Z"));
    await table.revoke(record.id, new Date("2027-02-01T00:00:00.000Z"));

    expect(await table.get(record.id)).toMatchObject({
      revoked: true,
      revoked_at: "2027-01-01T00:00:00.000Z",
    });
  });

  it("refuses to revoke an unknown key instead of creating it", async () => {
    const table = createKeyTable(client, tableName);

    await expect(table.revoke("zzzzzzzzzzzz", new Date())).rejects.toThrow(KeyNotFoundError);
    await expect(table.get("zzzzzzzzzzzz")).rejects.toThrow(KeyNotFoundError);
  });

  it("brings an expiry forward but never pushes it back", async () => {
    const table = createKeyTable(client, tableName);
    const { record } = testKey({ expires_at: "2027-06-01T00:00:00.000Z" });
    await table.create(record);

    await table.expireBy(record.id, new Date("2027-03-01T00:00:00.000Z"));
    await table.expireBy(record.id, new Date("2027-09-01T00:00:00.000Z"));

    expect((await table.get(record.id)).expires_at).toBe("2027-03-01T00:00:00.000Z");
  });

  it("gives a key without expiry one", async () => {
    const table = createKeyTable(client, tableName);
    const { record } = testKey();
    await table.create(record);

    await table.expireBy(record.id, new Date("2027-03-01T00:00:00.000Z"));

    expect((await table.get(record.id)).expires_at).toBe("2027-03-01T00:00:00.000Z");
  });
});
