import { randomBytes } from "node:crypto";
import { type JWTPayload, jwtVerify, SignJWT } from "jose";

/**
 * The `Session` fields Apideck copies into its session token. Hosted Vault (`apideck-samples/vault`,
 * `src/types/JWTSession.ts`) and the modal behind `@apideck/vault-js` (`@apideck/react-vault`,
 * `src/types/Session.ts`) decode the token and read exactly these, in snake_case.
 */
export type SessionTokenFields = {
  consumer_metadata?: Record<string, unknown>;
  redirect_uri?: string;
  settings?: Record<string, unknown>;
  theme?: Record<string, unknown>;
};

/** Claims of a simulated Vault session token: who, for which app, what the session shows, `iat`, `exp`. */
export type SessionClaims = JWTPayload & {
  consumer_id: string;
  application_id: string;
  consumer_metadata: Record<string, unknown>;
  redirect_uri?: string;
  settings: Record<string, unknown>;
  theme: Record<string, unknown>;
};

/** What a session token is issued for: the validated request's consumer, app, lifetime and `Session` body. */
export type SessionTokenRequest = {
  consumerId: string;
  applicationId: string;
  lengthSeconds: number;
  /** The request's `Session` body as Apideck accepted it; absent when the request had no body. */
  session?: SessionTokenFields;
};

/** Issues and verifies HS256 session tokens the way Apideck's Vault does, with its own random key. */
export type SessionTokenIssuer = {
  /** Signs a token valid for `lengthSeconds` from the issuer's clock. */
  issue(request: SessionTokenRequest): Promise<string>;
  /** Verifies signature and expiry against the issuer's clock; rejects with a `jose` error otherwise. */
  verify(token: string): Promise<SessionClaims>;
};

/** Apideck's default `settings.session_length`, and the documented maximum ("maximum 1 week"). */
export const defaultSessionSeconds = 3600;
const maxSessionSeconds = 7 * 24 * 3600;

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Parses a `session_length` such as `45s`, `30m`, `1h`, `7d` or `1w` into seconds.
 * Returns undefined when it is malformed, zero or longer than one week, which Apideck refuses.
 */
export function parseSessionLength(value: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(value.trim());
  if (match === null) return undefined;
  const seconds = Number(match[1]) * (unitSeconds[match[2] ?? ""] ?? Number.NaN);
  return seconds > 0 && seconds <= maxSessionSeconds ? seconds : undefined;
}

/** Creates an issuer with a fresh 256-bit HMAC key; `now` returns epoch milliseconds. */
export function createSessionTokenIssuer(now: () => number): SessionTokenIssuer {
  const key = new Uint8Array(randomBytes(32));
  return {
    async issue({ consumerId, applicationId, lengthSeconds, session = {} }) {
      const iat = Math.floor(now() / 1000);
      // The objects are always present (empty when not sent), so a component reading
      // `theme.primary_color` never trips over a missing parent; `redirect_uri` only when sent.
      const claims = {
        consumer_id: consumerId,
        application_id: applicationId,
        consumer_metadata: session.consumer_metadata ?? {},
        ...(session.redirect_uri !== undefined && { redirect_uri: session.redirect_uri }),
        settings: session.settings ?? {},
        theme: session.theme ?? {},
      };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt(iat)
        .setExpirationTime(iat + lengthSeconds)
        .sign(key);
    },
    async verify(token) {
      // jose checks `exp` against `currentDate`, so a simulator with a fake clock verifies consistently.
      const { payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        currentDate: new Date(now()),
      });
      return payload as SessionClaims;
    },
  };
}
