import { parseSessionLength } from "../../lambda/session/length.ts";
import { expiryFrom } from "./create-command.ts";
import { issueBrokerKey } from "./issue-key.ts";
import type { KeysContext } from "./keys-context.ts";
import { UsageError } from "./keys-context.ts";
import { describeKey, keyStatus, type Output } from "./output.ts";
import { keyIdArgument, REVOCATION_NOTE } from "./revoke-command.ts";

/** How long the old key keeps working after a rotation, unless `--grace` says otherwise. */
export const DEFAULT_ROTATION_GRACE = "1h";

/** Options of `rotate`. */
export interface RotateOptions {
  /** How long the old key stays valid: a duration, or `0` to revoke it at once. @default DEFAULT_ROTATION_GRACE */
  readonly grace?: string | undefined;
  readonly expiresIn?: string | undefined;
  readonly expiresAt?: string | undefined;
}

/**
 * `rotate <id>`: issues a new key with the old one's name, scope and limits (and, unless told
 * otherwise, the same lifetime from now), prints it once on stdout, then ends the old key after
 * the grace period (an expiry moved forward, never back) or at once with `--grace 0` (revoked).
 */
export async function rotateCommand(
  context: KeysContext,
  id: string | undefined,
  options: RotateOptions,
  output: Output,
): Promise<void> {
  const keyId = keyIdArgument(id, "rotate");
  const grace = options.grace ?? DEFAULT_ROTATION_GRACE;
  const graceSeconds = grace === "0" ? 0 : parseSessionLength(grace);
  if (graceSeconds === undefined) throw new UsageError("--grace must be 0 or a duration like 15m, 1h or 7d");
  const old = await context.table.get(keyId);
  const now = context.now();
  const lifetime =
    old.expires_at === undefined ? undefined : Date.parse(old.expires_at) - Date.parse(old.created_at);
  const expiresAt =
    expiryFrom(options, now) ?? (lifetime === undefined ? undefined : new Date(now.getTime() + lifetime));

  const issued = await issueBrokerKey(
    context.table,
    await context.hasher(),
    {
      name: old.name,
      scope: old.consumer_scope,
      allowedUnifiedApis: old.allowed_unified_apis,
      maxSessionLength: old.max_session_length,
      expiresAt,
    },
    now,
  );
  output.out(`${issued.text}\n`);
  output.err(
    `Created broker key ${issued.record.id} to replace ${keyId}:\n${describeKey(issued.record, now)}\n`,
  );
  const oldStatus = keyStatus(old, now);
  if (oldStatus !== "active") {
    output.err(`The old key ${keyId} was already ${oldStatus}; it stays so.\n`);
  } else if (graceSeconds === 0) {
    await context.table.revoke(keyId, now);
    output.err(`Revoked the old key ${keyId}. ${REVOCATION_NOTE}\n`);
  } else {
    const end = new Date(now.getTime() + graceSeconds * 1000);
    await context.table.expireBy(keyId, end);
    output.err(
      `The old key ${keyId} stops working at ${end.toISOString()} (or at its own expiry, if earlier).\n`,
    );
  }
}
