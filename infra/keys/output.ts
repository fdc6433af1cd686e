import { type BrokerKeyRecord, keyRecordRefusal } from "../../lambda/broker-keys/key-record.ts";

/** Where commands write: stdout for results a script reads, stderr for everything for people. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** A key's state now: `active`, `revoked` or `expired`. */
export function keyStatus(record: Pick<BrokerKeyRecord, "revoked" | "expires_at">, now: Date): string {
  return keyRecordRefusal(record, now.getTime()) ?? "active";
}

/** A few indented lines about a key (never its secret, which no record holds). */
export function describeKey(record: BrokerKeyRecord, now: Date): string {
  return [
    `  id:                 ${record.id}`,
    `  name:               ${record.name}`,
    `  status:             ${keyStatus(record, now)}`,
    `  consumer scope:     ${record.consumer_scope.join(",")}`,
    `  unified APIs:       ${record.allowed_unified_apis?.join(",") ?? "(the operator's policy)"}`,
    `  max session length: ${record.max_session_length ?? "(the operator's policy)"}`,
    `  expires:            ${record.expires_at ?? "never"}`,
  ].join("\n");
}

/** The `list` table: one row per key, columns aligned. */
export function keyTableText(records: readonly BrokerKeyRecord[], now: Date): string {
  const rows = [
    ["ID", "NAME", "STATUS", "SCOPE", "APIS", "MAX", "CREATED", "EXPIRES", "LAST USED"],
    ...records.map((r) => [
      r.id,
      r.name,
      keyStatus(r, now),
      r.consumer_scope.join(","),
      r.allowed_unified_apis?.join(",") ?? "-",
      r.max_session_length ?? "-",
      r.created_at.slice(0, 16),
      r.expires_at?.slice(0, 16) ?? "-",
      r.last_used_at?.slice(0, 16) ?? "-",
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
