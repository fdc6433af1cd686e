import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";

/** Shortest pepper accepted: 32 characters of a generated secret, at least 190 bits. */
export const MIN_PEPPER_LENGTH = 32;

/** Length of a stored hash: a SHA-256 digest in base64url, without padding. */
export const KEY_HASH_LENGTH = 43;

const DIGEST_BYTES = 32;
// Compared against when a key id is unknown or its stored hash is unreadable, so that every
// verification costs the same one HMAC and one constant-time comparison.
const DUMMY_DIGEST = Buffer.alloc(DIGEST_BYTES);

/** Hashes and verifies broker key secrets with one pepper. */
export interface KeyHasher {
  /** The value stored for a key: HMAC-SHA256 over its id and secret, base64url. */
  hash(id: string, secret: string): string;
  /**
   * True when `secret` belongs to the key whose stored hash is `storedHash`; with `storedHash`
   * undefined (no such key) it does the same work and returns false.
   */
  verify(id: string, secret: string, storedHash: string | undefined): boolean;
}

/** The pepper is a secret of its own (Secrets Manager), so a copy of the table alone proves nothing. */
export class PepperTooShortError extends Error {
  override readonly name = "PepperTooShortError";
  constructor() {
    super(`The broker key pepper must be at least ${MIN_PEPPER_LENGTH} characters.`);
  }
}

/**
 * A keyed hash (HMAC-SHA256 with the pepper as key), not a password hash: the secrets carry 262
 * random bits, so a slow hash adds nothing but cost on every request, while the pepper keeps a
 * leaked table from being checked offline. The id is part of the MAC, so a hash copied onto
 * another key's record does not verify there.
 */
export function createKeyHasher(pepper: string): KeyHasher {
  if (pepper.length < MIN_PEPPER_LENGTH) throw new PepperTooShortError();
  const key: KeyObject = createSecretKey(Buffer.from(pepper, "utf8"));
  const digest = (id: string, secret: string) =>
    createHmac("sha256", key).update(`vsb1.${id}.${secret}`).digest();
  return {
    hash: (id, secret) => digest(id, secret).toString("base64url"),
    verify(id, secret, storedHash) {
      const computed = digest(id, secret);
      const stored = decodeDigest(storedHash);
      // timingSafeEqual needs equal lengths; both are always 32 bytes here.
      const equal = timingSafeEqual(computed, stored ?? DUMMY_DIGEST);
      return equal && stored !== undefined;
    },
  };
}

function decodeDigest(storedHash: string | undefined): Buffer | undefined {
  if (storedHash === undefined || storedHash.length !== KEY_HASH_LENGTH) return undefined;
  const bytes = Buffer.from(storedHash, "base64url");
  return bytes.length === DIGEST_BYTES ? bytes : undefined;
}
