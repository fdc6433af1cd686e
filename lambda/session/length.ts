const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Apideck's own ceiling for `settings.session_length` (vault.yml: "maximum 1 week"). */
export const MAX_SESSION_LENGTH_SECONDS = 7 * 86_400;

/** Apideck's default when `session_length` is omitted (vault.yml: `default: 1h`). */
export const DEFAULT_SESSION_LENGTH_SECONDS = 3600;

/** True for a session length Apideck accepts: a duration of that form, at most 7 days. */
export function isAllowedSessionLength(text: string): boolean {
  return (parseSessionLength(text) ?? Infinity) <= MAX_SESSION_LENGTH_SECONDS;
}

/** Parses `30m`, `1h`, `7d` (or `90s`) into seconds; undefined when it is not of that form. */
export function parseSessionLength(text: string): number | undefined {
  const match = /^([1-9]\d{0,6})([smhd])$/.exec(text);
  if (match === null) return undefined;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_SECONDS];
  return Number(amount) * UNIT_SECONDS[unit];
}
