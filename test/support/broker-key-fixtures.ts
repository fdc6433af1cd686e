import { mintBrokerKey } from "../../lambda/broker-keys/key-format.ts";
import { createKeyHasher } from "../../lambda/broker-keys/key-hash.ts";
import type { BrokerKeyRecord } from "../../lambda/broker-keys/key-record.ts";

/** The pepper every broker-key test hashes with (a test value, 40 characters). */
export const TEST_PEPPER = "test-pepper-0123456789abcdefghijklmnopqrs";

/** A valid record with a placeholder hash; tests spread and change it. */
export const RECORD: BrokerKeyRecord = {
  id: "abcdefgh2345",
  name: "acme-heroku-prod",
  hash: "A".repeat(43),
  consumer_scope: ["tenant-a:*", "demo"],
  allowed_unified_apis: ["crm", "hris"],
  max_session_length: "30m",
  created_at: "2026-11-22T10:00:00.000Z",
  expires_at: "2027-11-22T10:00:00.000Z",
  revoked: false,
};

/** A freshly minted key and its record (hashed with `pepper`), with `fields` applied. */
export function testKey(fields: Partial<BrokerKeyRecord> = {}, pepper = TEST_PEPPER) {
  const key = mintBrokerKey();
  const record: BrokerKeyRecord = {
    id: key.id,
    name: "test-key",
    hash: createKeyHasher(pepper).hash(key.id, key.secret),
    consumer_scope: ["*"],
    created_at: new Date().toISOString(),
    revoked: false,
    ...fields,
  };
  return { text: key.text, secret: key.secret, record };
}
