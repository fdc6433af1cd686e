import { request } from "node:http";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LOCAL_KEY_TABLE_NAME,
  type LocalDynamoDb,
  startLocalDynamoDb,
} from "../../infra/local/dynamodb-local.ts";

describe("Local: DynamoDB endpoint (dynalite behind SigV4)", () => {
  let dynamo: LocalDynamoDb;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });

  afterAll(async () => {
    await dynamo.close();
  });

  const describeWith = async (config: ConstructorParameters<typeof DynamoDBClient>[0]) => {
    const client = new DynamoDBClient({
      region: "us-east-1",
      endpoint: dynamo.url,
      maxAttempts: 1,
      ...config,
    });
    try {
      return await client.send(new DescribeTableCommand({ TableName: LOCAL_KEY_TABLE_NAME }));
    } finally {
      client.destroy();
    }
  };

  it("serves the key table, keyed by id, on demand, to its own credentials", async () => {
    const { Table } = await describeWith({ credentials: dynamo.credentials });

    expect(Table).toMatchObject({
      TableName: LOCAL_KEY_TABLE_NAME,
      TableStatus: "ACTIVE",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
    });
  });

  it.each([
    [
      "an unknown access key",
      { accessKeyId: "LOCALNOBODY000000000", secretAccessKey: "x".repeat(40) },
      "UnrecognizedClientException",
    ],
    ["a wrong secret key", undefined, "InvalidSignatureException"],
  ])("refuses %s as DynamoDB does", async (_name, credentials, type) => {
    const wrong = credentials ?? {
      accessKeyId: dynamo.credentials.accessKeyId,
      secretAccessKey: "y".repeat(40),
    };

    await expect(describeWith({ credentials: wrong })).rejects.toMatchObject({ name: type });
  });

  it("refuses a signature for another region", async () => {
    await expect(
      describeWith({ credentials: dynamo.credentials, region: "eu-west-1" }),
    ).rejects.toMatchObject({
      name: "InvalidSignatureException",
    });
  });

  it("refuses an unsigned request", async () => {
    const response = await fetch(dynamo.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
      },
      body: "{}",
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
    });
  });

  it("answers only a loopback Host (no DNS rebinding to the key table)", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(dynamo.url);
      const req = request(
        { host: url.hostname, port: url.port, method: "POST", path: "/", headers: { host: "evil.example" } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on("error", reject);
      req.end("{}");
    });

    expect(status).toBe(403);
  });

  it("stops listening when closed", async () => {
    const other = await startLocalDynamoDb();
    await other.close();

    await expect(fetch(other.url, { method: "POST" })).rejects.toThrow();
  });
});
