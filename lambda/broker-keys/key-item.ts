import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { BrokerKeyRecord } from "./key-record.ts";

/** A DynamoDB item in the low-level client's shape. */
export type Item = Record<string, AttributeValue>;

/** Partition key of the key table: the key id, a string. */
export const KEY_TABLE_PARTITION_KEY = "id";

const LIST_FIELDS = ["consumer_scope", "allowed_unified_apis"] as const;

/**
 * The record as a DynamoDB item: strings as `S`, `revoked` as `BOOL`, lists as `L` of `S` (a list,
 * not a set: order is kept and the console shows it as written). Absent optional fields are left out.
 * Hand-written rather than `@aws-sdk/util-dynamodb`, which the authorizer would have to bundle.
 */
export function toKeyItem(record: BrokerKeyRecord): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (typeof value === "boolean") item[name] = { BOOL: value };
    else if (Array.isArray(value)) item[name] = { L: value.map((entry) => ({ S: String(entry) })) };
    else item[name] = { S: String(value) };
  }
  return item;
}

/**
 * The plain object of an item, to be checked with `BrokerKeyRecordSchema`: any attribute of
 * another type comes through as `null`, so the schema names it instead of guessing.
 */
export function fromKeyItem(item: Item): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value.S !== undefined) plain[name] = value.S;
    else if (value.BOOL !== undefined) plain[name] = value.BOOL;
    else if (value.L !== undefined && (LIST_FIELDS as readonly string[]).includes(name))
      plain[name] = value.L.map((entry) => entry.S ?? null);
    else plain[name] = null;
  }
  return plain;
}
