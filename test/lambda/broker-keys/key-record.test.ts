import { describe, expect, it } from "vitest";
import { fromKeyItem, toKeyItem } from "../../../lambda/broker-keys/key-item.ts";
import { BrokerKeyRecordSchema, keyRecordRefusal } from "../../../lambda/broker-keys/key-record.ts";
import { RECORD } from "../../support/broker-key-fixtures.ts";

describe("Unit: broker key record", () => {
  it("accepts a full record and a minimal one", () => {
    const { allowed_unified_apis, max_session_length, expires_at, ...minimal } = RECORD;

    expect(BrokerKeyRecordSchema.safeParse(RECORD).success).toBe(true);
    expect(BrokerKeyRecordSchema.safeParse(minimal).success).toBe(true);
  });

  it.each([
    ["a regex scope", { consumer_scope: ["tenant-a:.+"] }],
    ["an empty scope", { consumer_scope: [] }],
    ["a session length over 7d", { max_session_length: "8d" }],
    ["a session length that is not a duration", { max_session_length: "1 hour" }],
    ["an empty list of APIs", { allowed_unified_apis: [] }],
    ["a name with a newline", { name: "acme\nprod" }],
    ["a name with surrounding spaces", { name: " acme " }],
    ["a short hash", { hash: "A".repeat(42) }],
    ["an id that is not base32", { id: "ABCDEFGH2345" }],
    ["a date that is not ISO 8601", { created_at: "yesterday" }],
    ["revoked as a string", { revoked: "false" }],
  ])("refuses %s", (_name, change) => {
    expect(BrokerKeyRecordSchema.safeParse({ ...RECORD, ...change }).success).toBe(false);
  });

  it("round-trips through a DynamoDB item of strings, a BOOL and lists", () => {
    const item = toKeyItem(RECORD);

    expect(item.revoked).toEqual({ BOOL: false });
    expect(item.consumer_scope).toEqual({ L: [{ S: "tenant-a:*" }, { S: "demo" }] });
    expect(item.name).toEqual({ S: "acme-heroku-prod" });
    expect(BrokerKeyRecordSchema.parse(fromKeyItem(item))).toEqual(RECORD);
  });

  it("reads attributes of an unexpected type as null, so the schema refuses them", () => {
    const item = { ...toKeyItem(RECORD), revoked: { S: "false" }, name: { N: "1" } };

    expect(fromKeyItem(item)).toMatchObject({ revoked: "false", name: null });
    expect(BrokerKeyRecordSchema.safeParse(fromKeyItem(item)).success).toBe(false);
  });

  describe("keyRecordRefusal", () => {
    const now = Date.parse("2027-01-01T00:00:00.000Z");

    it("allows a live key", () => {
      expect(keyRecordRefusal(RECORD, now)).toBeUndefined();
      expect(keyRecordRefusal({ ...RECORD, expires_at: undefined }, now)).toBeUndefined();
    });

    it("refuses a revoked key, whatever its expiry", () => {
      expect(keyRecordRefusal({ ...RECORD, revoked: true }, now)).toBe("revoked");
    });

    it("refuses a key from the instant it expires", () => {
      const expires_at = new Date(now).toISOString();

      expect(keyRecordRefusal({ ...RECORD, expires_at }, now - 1)).toBeUndefined();
      expect(keyRecordRefusal({ ...RECORD, expires_at }, now)).toBe("expired");
    });
  });
});
