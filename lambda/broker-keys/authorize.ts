import { MalformedBrokerKeyError, parseBearerBrokerKey } from "./key-format.ts";
import type { KeyHasher } from "./key-hash.ts";
import { type BrokerKeyRecord, keyRecordRefusal } from "./key-record.ts";
import type { BrokerKeyReader } from "./key-store.ts";

/** Why a key was refused. Logged for the operator, never told to the caller. */
export type DenialReason =
  | "malformed"
  | "unknown"
  | "wrong_secret"
  | "revoked"
  | "expired"
  | "invalid_record";

/** The authorizer's decision. `keyId` is absent for a malformed key: nothing of it is trusted or logged. */
export type KeyDecision =
  | { readonly allowed: true; readonly record: BrokerKeyRecord }
  | {
      readonly allowed: false;
      readonly reason: DenialReason;
      readonly keyId?: string;
      readonly keyName?: string;
      /** For `invalid_record`: what is wrong with the stored item (field paths, no values). */
      readonly problems?: readonly string[];
    };

/** What `authorizeBrokerKey` needs: the pepper's hasher, the table, the clock. */
export interface AuthorizeDependencies {
  readonly hasher: () => Promise<KeyHasher>;
  readonly keys: BrokerKeyReader;
  readonly now: () => number;
}

/**
 * Decides on an `Authorization` header: one GetItem and one HMAC, whatever the outcome once the
 * header is well formed. An unknown id is hashed against a dummy like a known one, so the work,
 * and the answer (a bare 403), are the same whether the id exists or not. There are no failure
 * counters: a flood of wrong keys cannot lock a good key out. Infrastructure failures (the table
 * or the pepper unreadable) throw, so API Gateway answers 500 rather than a misleading 403.
 */
export async function authorizeBrokerKey(
  authorization: string | undefined,
  { hasher, keys, now }: AuthorizeDependencies,
): Promise<KeyDecision> {
  let id: string;
  let secret: string;
  try {
    ({ id, secret } = parseBearerBrokerKey(authorization));
  } catch (error) {
    if (error instanceof MalformedBrokerKeyError) return { allowed: false, reason: "malformed" };
    throw error;
  }
  const [hash, found] = await Promise.all([hasher(), keys.get(id)]);
  const record = found.status === "found" ? found.record : undefined;
  const verified = hash.verify(id, secret, record?.hash);
  if (found.status === "missing") return { allowed: false, reason: "unknown", keyId: id };
  if (found.status === "invalid")
    return { allowed: false, reason: "invalid_record", keyId: id, problems: found.problems };
  if (record === undefined || !verified) return { allowed: false, reason: "wrong_secret", keyId: id };
  const refusal = keyRecordRefusal(record, now());
  if (refusal !== undefined) return { allowed: false, reason: refusal, keyId: id, keyName: record.name };
  return { allowed: true, record };
}
