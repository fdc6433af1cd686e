import { KEY_ID_PATTERN } from "../../lambda/broker-keys/key-format.ts";
import { AUTHORIZER_CACHE_TTL_SECONDS } from "../broker-key-settings.ts";
import type { KeysContext } from "./keys-context.ts";
import { UsageError } from "./keys-context.ts";
import type { Output } from "./output.ts";

/** Why a revocation is not instant: API Gateway may still hold an "allowed" for the key. */
export const REVOCATION_NOTE =
  `It stops working within ${AUTHORIZER_CACHE_TTL_SECONDS} s (API Gateway caches the authorizer's answers); ` +
  "to cut it off at once: aws apigatewayv2 reset-authorizers-cache --api-id <ApiId> --stage-name '$default'";

/** Checks a key id argument; takes a whole key too, reading only its id part. */
export function keyIdArgument(value: string | undefined, command: string): string {
  const id = value?.startsWith("vsb_") ? value.slice(4, 16) : value;
  if (id === undefined || !KEY_ID_PATTERN.test(id))
    throw new UsageError(`${command} needs a key id (12 characters, as \`list\` shows it)`);
  return id;
}

/** `revoke <id>`: sets the revoked flag (idempotent). */
export async function revokeCommand(
  context: KeysContext,
  id: string | undefined,
  output: Output,
): Promise<void> {
  const keyId = keyIdArgument(id, "revoke");
  await context.table.revoke(keyId, context.now());
  output.err(`Revoked broker key ${keyId}. ${REVOCATION_NOTE}\n`);
}
