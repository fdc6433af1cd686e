import { mintBrokerKey } from "../../lambda/broker-keys/key-format.ts";
import type { KeyHasher } from "../../lambda/broker-keys/key-hash.ts";
import { type BrokerKeyRecord, KeyNameSchema } from "../../lambda/broker-keys/key-record.ts";
import { parseConsumerScope } from "../../lambda/session/consumer-scope.ts";
import { isAllowedSessionLength } from "../../lambda/session/length.ts";
import { UNIFIED_API_IDS } from "../../lambda/session/schema.ts";
import type { KeyTable } from "./key-table.ts";

/** What the operator chooses for a new key. */
export interface KeySpec {
  readonly name: string;
  /** Consumer-id globs, e.g. `["tenant-a:*"]`; `["*"]` is any consumer the operator's policy allows. */
  readonly scope: readonly string[];
  readonly allowedUnifiedApis?: readonly string[] | undefined;
  readonly maxSessionLength?: string | undefined;
  readonly expiresAt?: Date | undefined;
}

/** A key spec the operator tool refuses; the message says which option and why. */
export class KeySpecError extends Error {
  override readonly name = "KeySpecError";
}

/** A freshly issued key: its full text, to be shown once, and the record stored for it. */
export interface IssuedKey {
  readonly text: string;
  readonly record: BrokerKeyRecord;
}

/**
 * Checks a spec, mints a key, stores only its keyed hash (conditional put: an id is never reused)
 * and returns the key's text. The text exists nowhere else: the caller shows it once.
 */
export async function issueBrokerKey(
  table: KeyTable,
  hasher: KeyHasher,
  spec: KeySpec,
  now: Date = new Date(),
): Promise<IssuedKey> {
  checkSpec(spec, now);
  const key = mintBrokerKey();
  const record: BrokerKeyRecord = {
    id: key.id,
    name: spec.name,
    hash: hasher.hash(key.id, key.secret),
    consumer_scope: [...spec.scope],
    ...(spec.allowedUnifiedApis && { allowed_unified_apis: [...spec.allowedUnifiedApis] }),
    ...(spec.maxSessionLength && { max_session_length: spec.maxSessionLength }),
    created_at: now.toISOString(),
    ...(spec.expiresAt && { expires_at: spec.expiresAt.toISOString() }),
    revoked: false,
  };
  await table.create(record);
  return { text: key.text, record };
}

function checkSpec(spec: KeySpec, now: Date): void {
  if (!KeyNameSchema.safeParse(spec.name).success)
    throw new KeySpecError("--name must be 1 to 128 printable ASCII characters, without surrounding spaces");
  const scope = parseConsumerScope(spec.scope);
  if (!scope.ok) throw new KeySpecError(`--scope ${scope.problem}`);
  const apis = spec.allowedUnifiedApis;
  if (apis !== undefined) {
    const unknown = apis.filter((api) => !(UNIFIED_API_IDS as readonly string[]).includes(api));
    if (apis.length === 0 || unknown.length > 0)
      throw new KeySpecError(
        `--apis must list Unified API ids (${UNIFIED_API_IDS.join(", ")}); unknown: ${unknown.join(", ") || "(none given)"}`,
      );
  }
  const max = spec.maxSessionLength;
  if (max !== undefined && !isAllowedSessionLength(max))
    throw new KeySpecError("--max-session-length must be a duration like 30m, 1h or 7d, at most 7d");
  if (spec.expiresAt !== undefined && !(spec.expiresAt.getTime() > now.getTime()))
    throw new KeySpecError("--expires must be in the future");
}
