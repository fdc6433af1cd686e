/** The one-line answer to a port variable (`PORT`, `DEMO_PORT`) that is not a port. */
export function invalidPortMessage(variable: string): string {
  return `${variable} must be a whole number 0-65535 (0 = any free port)`;
}

/** The one-line answer to `PORT=abc`. */
export const INVALID_PORT_MESSAGE = invalidPortMessage("PORT");

/**
 * A port from the environment: `fallback` when unset, else the value if it is a whole number from 0
 * to 65535 (0: any free port). `undefined` for anything else, an empty value included, which
 * `Number("")` would silently turn into "any free port".
 */
export function parsePort(value: string | undefined, fallback = 3000): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port <= 65_535 ? port : undefined;
}

/** The one-line answer to a port another process holds, with the fix. */
export function portInUseMessage(port: number, variable = "PORT"): string {
  return `port ${port} is in use: stop the other process or set ${variable}=${port < 65_535 ? port + 1 : 0}`;
}

/**
 * A warning for a start against another Apideck (`APIDECK_BASE_URL`) with no key to send it: with
 * neither `APIDECK_API_KEY` nor `APIDECK_SECRET_ID`, the local secret holds a random development
 * key, which a real Apideck rejects. `undefined` when there is nothing to warn about.
 */
export function apideckKeyWarning(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (!env.APIDECK_BASE_URL || env.APIDECK_API_KEY || env.APIDECK_SECRET_ID) return undefined;
  return "warning: APIDECK_BASE_URL is set without APIDECK_API_KEY: requests will carry a random development key, which Apideck rejects (401). Set APIDECK_API_KEY (or APIDECK_SECRET_ID for a real secret).";
}
