import * as z from "zod/mini";
import { parseConsumerScope } from "../session/consumer-scope.ts";
import { isAllowedSessionLength } from "../session/length.ts";
import { KEY_ID_PATTERN } from "./key-format.ts";
import { KEY_HASH_LENGTH } from "./key-hash.ts";

/** Printable ASCII without surrounding spaces: a key's name appears in logs and the authorizer context. */
const KEY_NAME_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/;

/** A key's name: 1 to 128 printable ASCII characters, e.g. `acme-heroku-prod`. */
export const KeyNameSchema = z
  .string()
  .check(
    z.regex(KEY_NAME_PATTERN, "must be 1 to 128 printable ASCII characters, without surrounding spaces"),
  );

/** A consumer scope as stored: the list of globs (consumer-scope.ts). */
export const ConsumerScopeListSchema = z
  .array(z.string())
  .check(
    z.refine(
      (globs) => parseConsumerScope(globs).ok,
      "must be consumer-id globs (* matches any run of characters), at least one",
    ),
  );

/** A session length no longer than Apideck's 7 days, e.g. `30m`. */
export const KeySessionLengthSchema = z
  .string()
  .check(z.refine(isAllowedSessionLength, "must be a duration like 30m, 1h or 7d, at most 7d"));

/**
 * Unified API ids as the key record holds them. Only their shape is checked here, so the
 * authorizer need not bundle the session schema: the operator tool checks them against Apideck's
 * list when it creates a key, and the function intersects them with the operator's policy.
 */
export const KeyUnifiedApisSchema = z
  .array(z.string().check(z.regex(/^[a-z][a-z-]{0,63}$/)))
  .check(z.minLength(1), z.maxLength(64));

/**
 * One broker key as the table stores it (never its secret). Example:
 * `{ "id": "k3x7q2mfa9bd", "name": "acme-heroku-prod", "hash": "Xq...", "consumer_scope": ["tenant-a:*"],
 *    "allowed_unified_apis": ["crm"], "max_session_length": "30m", "created_at": "2026-11-22T10:00:00.000Z",
 *    "expires_at": "2027-11-22T10:00:00.000Z", "revoked": false }`
 */
export const BrokerKeyRecordSchema = z.object({
  id: z.string().check(z.regex(KEY_ID_PATTERN)),
  name: KeyNameSchema,
  /** HMAC-SHA256 of the id and secret with the pepper (key-hash.ts), base64url. */
  hash: z.string().check(z.length(KEY_HASH_LENGTH)),
  /** Which consumers the key may open sessions for; intersected with the operator's own scope. */
  consumer_scope: ConsumerScopeListSchema,
  /** Narrows the operator's `ALLOWED_UNIFIED_APIS`; never widens it. */
  allowed_unified_apis: z.optional(KeyUnifiedApisSchema),
  /** Narrows the operator's `MAX_SESSION_LENGTH`; never widens it. */
  max_session_length: z.optional(KeySessionLengthSchema),
  created_at: z.iso.datetime(),
  expires_at: z.optional(z.iso.datetime()),
  revoked: z.boolean(),
  revoked_at: z.optional(z.iso.datetime()),
  /** Updated at most every few minutes (see the key store), not on every request. */
  last_used_at: z.optional(z.iso.datetime()),
});

/** A stored broker key. */
export type BrokerKeyRecord = z.infer<typeof BrokerKeyRecordSchema>;

/** Why a record does not allow a request right now; undefined when it does. */
export function keyRecordRefusal(
  record: Pick<BrokerKeyRecord, "revoked" | "expires_at">,
  now: number,
): "revoked" | "expired" | undefined {
  if (record.revoked) return "revoked";
  if (record.expires_at !== undefined && Date.parse(record.expires_at) <= now) return "expired";
  return undefined;
}
