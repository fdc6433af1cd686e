import { DEFAULT_SESSION_LENGTH_SECONDS, parseSessionLength } from "./length.ts";

/**
 * When the session ends: the token's own `exp` claim when it is a JWT that carries one (Apideck's
 * do), else the requested `session_length` (default 1h) from `now`. The token is only decoded,
 * never trusted for anything else: this is information for the caller, not an authorization check.
 */
export function sessionExpiresAt(sessionToken: string, sessionLength: string | undefined, now: number): Date {
  const exp = jwtExpiry(sessionToken);
  if (exp !== undefined) return new Date(exp * 1000);
  const seconds = (sessionLength && parseSessionLength(sessionLength)) || DEFAULT_SESSION_LENGTH_SECONDS;
  return new Date(now + seconds * 1000);
}

function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    // Within the range a Date can hold (±8.64e15 ms); anything else is not a real expiry.
    const exp = claims.exp;
    return typeof exp === "number" && Number.isFinite(exp) && Math.abs(exp * 1000) <= 8.64e15
      ? exp
      : undefined;
  } catch {
    return undefined;
  }
}
