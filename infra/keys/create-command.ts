import { parseSessionLength } from "../../lambda/session/length.ts";
import { issueBrokerKey, type KeySpec } from "./issue-key.ts";
import type { KeysContext } from "./keys-context.ts";
import { UsageError } from "./keys-context.ts";
import { describeKey, type Output } from "./output.ts";

/** Options of `create`, as given on the command line. */
export interface CreateOptions {
  readonly name?: string | undefined;
  readonly scope?: string | undefined;
  readonly apis?: string | undefined;
  readonly maxSessionLength?: string | undefined;
  readonly expiresIn?: string | undefined;
  readonly expiresAt?: string | undefined;
}

/**
 * `create`: issues a key and writes its text to stdout, alone on one line, exactly once (so
 * `KEY=$(npm run -s keys -- create ...)` captures it); what was stored goes to stderr.
 */
export async function createCommand(
  context: KeysContext,
  options: CreateOptions,
  output: Output,
): Promise<void> {
  if (!options.name) throw new UsageError("--name is required, e.g. --name acme-heroku-prod");
  if (!options.scope)
    throw new UsageError("--scope is required: consumer-id globs, e.g. --scope 'tenant-a:*' ('*' for any)");
  const now = context.now();
  const spec: KeySpec = {
    name: options.name,
    scope: options.scope.split(","),
    allowedUnifiedApis: options.apis?.split(",").map((api) => api.trim()),
    maxSessionLength: options.maxSessionLength,
    expiresAt: expiryFrom(options, now),
  };
  const issued = await issueBrokerKey(context.table, await context.hasher(), spec, now);
  output.out(`${issued.text}\n`);
  output.err(
    `Created broker key ${issued.record.id} in ${context.tableName}:\n${describeKey(issued.record, now)}\n`,
  );
  output.err("The key above is shown once and stored nowhere: only its keyed hash is in the table.\n");
}

/** `--expires-in 90d` (a duration like a session length) or `--expires-at <ISO 8601>`; neither: never. */
export function expiryFrom(
  options: Pick<CreateOptions, "expiresIn" | "expiresAt">,
  now: Date,
): Date | undefined {
  if (options.expiresIn && options.expiresAt)
    throw new UsageError("give --expires-in or --expires-at, not both");
  if (options.expiresIn) {
    const seconds = parseSessionLength(options.expiresIn);
    if (seconds === undefined) throw new UsageError("--expires-in must be a duration like 12h, 30d or 365d");
    return new Date(now.getTime() + seconds * 1000);
  }
  if (options.expiresAt) {
    const at = new Date(options.expiresAt);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(options.expiresAt) || Number.isNaN(at.getTime()))
      throw new UsageError("--expires-at must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z");
    return at;
  }
  return undefined;
}
