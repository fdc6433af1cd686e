import { type CryptoKey, generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from "jose";

/** Issuer and audience of locally minted tokens, mirroring a JWT authorizer's configuration. */
export const DEV_ISSUER = "https://vault-session-broker.local/issuer";
export const DEV_AUDIENCE = "vault-session-broker-local";

/** A development signing key pair: mints tokens for the `/sessions` route and verifies them. */
export interface DevJwtIssuer {
  /**
   * Signs a token for `claims` (defaults: sub `local-consumer`, an email and a name), valid `ttlSeconds`.
   * `iss` and `aud` in `claims` replace the development ones, for tokens the authorizer must refuse.
   */
  mint(claims?: JWTPayload, ttlSeconds?: number): Promise<string>;
  /** Verifies signature, issuer, audience and expiry, as API Gateway's JWT authorizer does; throws otherwise. */
  verify(token: string): Promise<JWTPayload>;
}

/**
 * Creates an ES256 key pair in memory (new on every start, never written anywhere), so the local
 * `/sessions` route accepts only tokens it signed itself: no unverified token, even locally.
 */
export async function createDevJwtIssuer(): Promise<DevJwtIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return {
    mint: (claims = {}, ttlSeconds = 12 * 3600) => mint(privateKey, claims, ttlSeconds),
    verify: async (token) => {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        algorithms: ["ES256"],
      });
      return payload;
    },
  };
}

function mint(privateKey: CryptoKey, claims: JWTPayload, ttlSeconds: number): Promise<string> {
  return new SignJWT({ sub: "local-consumer", email: "dev@example.com", name: "Local Developer", ...claims })
    .setProtectedHeader({ alg: "ES256" })
    .setIssuer(claims.iss ?? DEV_ISSUER)
    .setAudience(claims.aud ?? DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(privateKey);
}
