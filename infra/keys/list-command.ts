import type { KeysContext } from "./keys-context.ts";
import { keyStatus, keyTableText, type Output } from "./output.ts";

/** `list`: every key, oldest first, as a table or (`--json`) one JSON array; hashes are left out. */
export async function listCommand(
  context: KeysContext,
  options: { json?: boolean },
  output: Output,
): Promise<void> {
  const { records, unreadable } = await context.table.list();
  const now = context.now();
  if (options.json) {
    const shown = records.map(({ hash: _hash, ...record }) => ({
      ...record,
      status: keyStatus(record, now),
    }));
    output.out(`${JSON.stringify(shown, null, 2)}\n`);
  } else {
    output.out(
      records.length ? `${keyTableText(records, now)}\n` : `No broker keys in ${context.tableName}.\n`,
    );
  }
  if (unreadable.length)
    output.err(
      `Unreadable records (not valid keys; the authorizer refuses them): ${unreadable.join(", ")}\n`,
    );
}
