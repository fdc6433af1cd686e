import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { toKeyItem } from "../../../lambda/broker-keys/key-item.ts";
import {
  type AuthorizerHarness,
  PEPPER_SECRET_NAME,
  startAuthorizerHarness,
} from "../../support/authorizer-harness.ts";
import { TEST_PEPPER, testKey } from "../../support/broker-key-fixtures.ts";
import { findLeaks } from "../../support/log-capture.ts";

describe("Authorizer: broker keys", () => {
  let harness: AuthorizerHarness;
  const secrets: string[] = [];

  beforeAll(async () => {
    harness = await startAuthorizerHarness();
  });

  afterAll(async () => {
    // No key text or secret, and no Authorization header value, ever reaches the log.
    expect(findLeaks(harness.logText(), [...secrets, "Bearer ", "vsb_", TEST_PEPPER])).toEqual([]);
    await harness.close();
  });

  const created = async (fields: Parameters<AuthorizerHarness["createKey"]>[0] = {}) => {
    const key = await harness.createKey(fields);
    secrets.push(key.text, key.text.slice(-44));
    return key;
  };

  it("allows a valid key and hands its limits to the function", async () => {
    const { text, record } = await created({
      name: "acme-heroku-prod",
      consumer_scope: ["tenant-a:*", "demo"],
      allowed_unified_apis: ["crm"],
      max_session_length: "30m",
      expires_at: "2099-01-01T00:00:00.000Z",
    });

    const result = await harness.authorize(`Bearer ${text}`);

    expect(result).toEqual({
      isAuthorized: true,
      context: {
        keyId: record.id,
        keyName: "acme-heroku-prod",
        consumerScope: "tenant-a:*,demo",
        allowedUnifiedApis: "crm",
        maxSessionLength: "30m",
        expiresAt: "2099-01-01T00:00:00.000Z",
      },
    });
    expect(harness.decisions().at(-1)).toMatchObject({
      level: "INFO",
      outcome: "allowed",
      key_id: record.id,
      key_name: "acme-heroku-prod",
      consumer_id: "tenant-a:42",
      route: "POST /sdk/vault/sessions",
      function_name: "vault-session-broker-authorizer",
    });
  });

  it("passes empty strings for limits the key does not set", async () => {
    const { text } = await created({ consumer_scope: ["*"] });

    const result = await harness.authorize(`Bearer ${text}`);

    expect(result).toMatchObject({
      isAuthorized: true,
      context: { consumerScope: "*", allowedUnifiedApis: "", maxSessionLength: "", expiresAt: "" },
    });
  });

  it("marks the key used", async () => {
    const { text, record } = await created();

    await harness.authorize(`Bearer ${text}`);

    expect((await harness.table.get(record.id)).last_used_at).toEqual(expect.any(String));
  });

  describe("refusals", () => {
    it.each([
      ["no Authorization header", undefined],
      ["an empty header", ""],
      ["a JWT", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"],
      ["an Apideck key", "Bearer sk_live_0123456789abcdef"],
      ["a truncated broker key", "Bearer vsb_abcdefgh2345_short"],
      ["SigV4 credentials", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/execute-api/aws4_request"],
    ])("refuses %s without reading the table or logging an id", async (_name, header) => {
      const send = vi.spyOn(harness.dynamodb, "send");

      const result = await harness.authorize(header);

      expect(result).toEqual({ isAuthorized: false });
      expect(send).not.toHaveBeenCalled();
      const line = harness.decisions().at(-1);
      expect(line).toMatchObject({ level: "WARN", outcome: "denied", reason: "malformed" });
      expect(line).not.toHaveProperty("key_id");
    });

    it("refuses an unknown id after one read, the same way as a wrong secret", async () => {
      const { text } = await created();
      const unknown = `vsb_zzzzzzzzzzzz_${text.slice(-44)}`;
      const wrong = `${text.slice(0, -44)}${"x".repeat(44)}`;
      const send = vi.spyOn(harness.dynamodb, "send");

      const answers = [
        await harness.authorize(`Bearer ${unknown}`),
        await harness.authorize(`Bearer ${wrong}`),
      ];

      expect(answers).toEqual([{ isAuthorized: false }, { isAuthorized: false }]);
      expect(send).toHaveBeenCalledTimes(2);
      expect(harness.decisions().slice(-2)).toMatchObject([
        { outcome: "denied", reason: "unknown", key_id: "zzzzzzzzzzzz" },
        { outcome: "denied", reason: "wrong_secret", key_id: text.slice(4, 16) },
      ]);
    });

    it("refuses a revoked key and names it in the log", async () => {
      const { text, record } = await created({ name: "old-ci" });
      await harness.table.revoke(record.id, new Date());

      expect(await harness.authorize(`Bearer ${text}`)).toEqual({ isAuthorized: false });
      expect(harness.decisions().at(-1)).toMatchObject({
        reason: "revoked",
        key_id: record.id,
        key_name: "old-ci",
      });
    });

    it("refuses a key from the moment it expires", async () => {
      const expiresAt = Date.now() + 60_000;
      const { text } = await created({ expires_at: new Date(expiresAt).toISOString() });

      expect((await harness.authorize(`Bearer ${text}`)).isAuthorized).toBe(true);
      harness.advance(60_000);
      try {
        expect(await harness.authorize(`Bearer ${text}`)).toEqual({ isAuthorized: false });
        expect(harness.decisions().at(-1)).toMatchObject({ reason: "expired" });
      } finally {
        harness.advance(-60_000);
      }
    });

    it("logs a wrong secret for a revoked key as a wrong secret (only the holder learns nothing either way)", async () => {
      const { text, record } = await created();
      await harness.table.revoke(record.id, new Date());

      await harness.authorize(`Bearer ${text.slice(0, -1)}${text.endsWith("a") ? "b" : "a"}`);

      expect(harness.decisions().at(-1)).toMatchObject({ reason: "wrong_secret" });
    });

    it("refuses a record that breaks the schema, logged as an error with its problems", async () => {
      const { text, record } = testKey();
      await harness.dynamo.client().send(
        new PutItemCommand({
          TableName: harness.dynamo.tableName,
          Item: { ...toKeyItem(record), consumer_scope: { L: [{ S: "tenant-(a|b)" }] } },
        }),
      );
      secrets.push(text);

      expect(await harness.authorize(`Bearer ${text}`)).toEqual({ isAuthorized: false });
      expect(harness.decisions().at(-1)).toMatchObject({
        level: "ERROR",
        reason: "invalid_record",
        problems: [expect.stringContaining("consumer_scope")],
      });
    });

    it("cannot be locked out: a good key still works after 200 wrong secrets for its id", async () => {
      const { text } = await created();
      const prefix = text.slice(0, -44);

      for (let i = 0; i < 200; i++) {
        const wrong = `${prefix}${String(i).padStart(44, "A")}`;
        expect((await harness.authorize(`Bearer ${wrong}`)).isAuthorized).toBe(false);
      }

      expect((await harness.authorize(`Bearer ${text}`)).isAuthorized).toBe(true);
    });
  });

  describe("its own dependencies", () => {
    it("reads the pepper once for all requests", async () => {
      const { text } = await created();

      for (let i = 0; i < 5; i++) await harness.authorize(`Bearer ${text}`);

      expect(harness.secretsManager.getSecretValueCalls).toBe(1);
    });

    it("fails (API Gateway's 500) instead of refusing when the table is unreachable, and logs why", async () => {
      const { text } = await created();
      vi.spyOn(harness.dynamodb, "send").mockRejectedValueOnce(
        Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" }),
      );

      await expect(harness.authorize(`Bearer ${text}`)).rejects.toThrow("Rate exceeded");
      expect(harness.decisions().at(-1)).toMatchObject({
        level: "ERROR",
        outcome: "error",
        error_name: "ProvisionedThroughputExceededException",
      });
      expect((await harness.authorize(`Bearer ${text}`)).isAuthorized).toBe(true);
    });
  });
});

describe("Authorizer: pepper problems", () => {
  it("fails every request while the pepper is too short, and recovers once it is fixed", async () => {
    const harness = await startAuthorizerHarness();
    try {
      const { text } = await harness.createKey();
      harness.secretsManager.putSecret(PEPPER_SECRET_NAME, "too-short");

      // The pepper was never read yet: the harness's first read sees the short one.
      await expect(harness.authorize(`Bearer ${text}`)).rejects.toThrow(/at least 32/);
      expect(harness.decisions().at(-1)).toMatchObject({
        outcome: "error",
        error_name: "PepperTooShortError",
      });

      harness.secretsManager.putSecret(PEPPER_SECRET_NAME, TEST_PEPPER);
      expect((await harness.authorize(`Bearer ${text}`)).isAuthorized).toBe(true);
    } finally {
      await harness.close();
    }
  });
});
