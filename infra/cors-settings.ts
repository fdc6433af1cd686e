import { commaSeparated } from "../lambda/environment-variable.ts";

// The browser-facing CORS settings of the HTTP API, in one place: the deployed API
// (http-api-routes.ts) and the local gateway (local/local-cors.ts) both read them, so what a browser
// app sees under `npm start` is what it sees deployed. Only the allowed origins are configuration
// (`corsOrigins` context key, `CORS_ORIGINS` locally).

/** Methods a cross-origin page may use: the two routes are POST only. */
export const CORS_ALLOW_METHODS = ["POST"] as const;

/**
 * Request headers a cross-origin page may send: the JWT route's `authorization` and
 * `content-type`, the Apideck headers the README allows (`x-apideck-app-id`,
 * `x-apideck-consumer-id`), and the `x-amz-*` headers a page signing with SigV4 (temporary
 * credentials from a Cognito identity pool, say) adds.
 */
export const CORS_ALLOW_HEADERS = [
  "authorization",
  "content-type",
  "x-apideck-app-id",
  "x-apideck-consumer-id",
  "x-amz-content-sha256",
  "x-amz-date",
  "x-amz-security-token",
] as const;

/** Response headers a page may read besides the CORS-safelisted ones: the session's expiry. */
export const CORS_EXPOSE_HEADERS = ["x-vault-session-expires-at"] as const;

/** How long a browser may cache a preflight answer (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 600;

/** An origin as the `corsOrigins` context key and `CORS_ORIGINS` accept it: scheme, host, port. */
export const CORS_ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/** Thrown for a bad origin list; the message names each bad entry. */
export class CorsOriginsError extends Error {
  override readonly name = "CorsOriginsError";
}

/**
 * Parses a comma-separated origin list (`https://app.example.com,http://localhost:5173`); blanks
 * are ignored, an empty list means no CORS at all. `*` and anything with a path are refused: a
 * wildcard would let any site's scripts call the API with a user's token.
 */
export function parseCorsOrigins(text: string | undefined): string[] {
  const origins = commaSeparated(text);
  const bad = origins.filter((origin) => !CORS_ORIGIN_PATTERN.test(origin));
  if (bad.length > 0) {
    throw new CorsOriginsError(
      `must be origins like https://app.example.com (no *, no path): ${bad.map((o) => JSON.stringify(o)).join(", ")}`,
    );
  }
  return origins;
}
