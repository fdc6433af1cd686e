import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalDynamoDb, startLocalDynamoDb } from "../../../infra/local/dynamodb-local.ts";
import { startLoopbackServer } from "../../../infra/local/loopback-server.ts";
import { toKeyItem } from "../../../lambda/broker-keys/key-item.ts";
import {
  createBrokerKeyReader,
  LAST_USED_INTERVAL_MS,
  LAST_USED_WAIT_MS,
} from "../../../lambda/broker-keys/key-store.ts";
import { testKey } from "../../support/broker-key-fixtures.ts";

// Against dynalite on loopback through the real @aws-sdk/client-dynamodb: the wire protocol, the
// condition expressions and the error names are DynamoDB's, not a mock's.
describe("Unit: broker key store (reader)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    client = dynamo.client();
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.close();
  });

  const put = (item: Record<string, unknown>) =>
    client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: item as never }));
  const reader = (onMarkError?: (error: unknown) => void) =>
    createBrokerKeyReader({ client, tableName: dynamo.tableName, ...(onMarkError ? { onMarkError } : {}) });

  it("finds a stored key and parses its record", async () => {
    const { record } = testKey({ consumer_scope: ["tenant-a:*"], max_session_length: "15m" });
    await put(toKeyItem(record));

    expect(await reader().get(record.id)).toEqual({ status: "found", record });
  });

  it("reports an unknown id as missing", async () => {
    expect(await reader().get("zzzzzzzzzzzz")).toEqual({ status: "missing" });
  });

  it("reports a record that breaks the schema as invalid, naming the fields", async () => {
    const { record } = testKey();
    await put({ ...toKeyItem(record), revoked: { S: "no" }, consumer_scope: { L: [{ S: "tenant-(a|b)" }] } });

    const found = await reader().get(record.id);

    expect(found.status).toBe("invalid");
    expect(found.status === "invalid" && found.problems.join("; ")).toMatch(
      /consumer_scope.*revoked|revoked/,
    );
  });

  it("marks a key used when it never was, then not again within the interval", async () => {
    const { record } = testKey();
    await put(toKeyItem(record));
    const now = Date.parse("2027-01-01T00:00:00.000Z");

    await reader().markUsed(record, now);
    const first = await reader().get(record.id);
    const marked = first.status === "found" ? first.record : record;
    await reader().markUsed(marked, now + LAST_USED_INTERVAL_MS - 1);
    const second = await reader().get(record.id);

    expect(marked.last_used_at).toBe("2027-01-01T00:00:00.000Z");
    expect(second.status === "found" && second.record.last_used_at).toBe("2027-01-01T00:00:00.000Z");
  });

  it("marks it again once the interval has passed", async () => {
    const { record } = testKey({ last_used_at: "2027-01-01T00:00:00.000Z" });
    await put(toKeyItem(record));

    await reader().markUsed(record, Date.parse("2027-01-01T00:00:00.000Z") + LAST_USED_INTERVAL_MS);

    const found = await reader().get(record.id);
    expect(found.status === "found" && found.record.last_used_at).toBe("2027-01-01T00:05:00.000Z");
  });

  it("never recreates a key deleted in the meantime, and reports nothing for it", async () => {
    const { record } = testKey();
    await put(toKeyItem(record));
    await client.send(new DeleteItemCommand({ TableName: dynamo.tableName, Key: { id: { S: record.id } } }));
    const onMarkError = vi.fn();

    await reader(onMarkError).markUsed(record, Date.now());

    expect(await reader().get(record.id)).toEqual({ status: "missing" });
    expect(onMarkError).not.toHaveBeenCalled();
  });

  it("reports a failed mark instead of throwing", async () => {
    const { record } = testKey();
    const down = await startLoopbackServer(async (_req, res) => {
      res.destroy();
    });
    const broken = dynamo.client({ endpoint: down.url, maxAttempts: 1 });
    const onMarkError = vi.fn();
    const store = createBrokerKeyReader({ client: broken, tableName: dynamo.tableName, onMarkError });

    await expect(store.markUsed(record, Date.now())).resolves.toBeUndefined();
    await vi.waitFor(() => expect(onMarkError).toHaveBeenCalledTimes(1));
    broken.destroy();
    await down.close();
  });

  it(`stops waiting for the mark after ${LAST_USED_WAIT_MS} ms`, async () => {
    const { record } = testKey();
    const { promise: arrived, resolve: arrive } = Promise.withResolvers<void>();
    const hung = await startLoopbackServer(async (_req, _res, signal) => {
      arrive();
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
    });
    const slow = dynamo.client({ endpoint: hung.url, maxAttempts: 1 });
    const store = createBrokerKeyReader({ client: slow, tableName: dynamo.tableName });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let done = false;
      const marking = store.markUsed(record, Date.now()).then(() => {
        done = true;
      });
      // Not vi.waitFor: with fake timers it advances the clock while it polls.
      await arrived;
      await vi.advanceTimersByTimeAsync(LAST_USED_WAIT_MS - 1);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await marking;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
      slow.destroy();
      await hung.close();
    }
  });
});
