import { randomBytes } from "node:crypto";

/**
 * Broker keys are written `vsb_<id>_<secret>`: `vsb_` says what it is (secret scanners and people
 * can spot it), the id names the key in the table and in logs, the secret proves possession.
 * Example: `vsb_k3x7q2mfa9bd_4Jm9uQ...` (61 characters in all).
 */
export const BROKER_KEY_PREFIX = "vsb_";

/** 12 characters of lower-case base32: 60 bits, enough that random ids do not collide in one table. */
export const KEY_ID_LENGTH = 12;
/** 44 base62 characters: 44 x log2(62) = 262 bits of entropy, above the 256 we require. */
export const KEY_SECRET_LENGTH = 44;

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const SECRET_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** What a key id looks like, for schemas and the operator tool. */
export const KEY_ID_PATTERN = /^[a-z2-7]{12}$/;
const KEY_PATTERN = /^vsb_([a-z2-7]{12})_([0-9A-Za-z]{44})$/;
// `Bearer` is case-insensitive (RFC 9110, 11.1); the SDKs send exactly `Bearer <apiKey>`.
const BEARER_PATTERN = /^bearer +(\S+)$/i;
// Longest header worth looking at: anything longer is not a key, and is refused before any work.
const MAX_HEADER_LENGTH = 128;

/** A key split into its parts. `secret` must never be logged, stored or echoed. */
export interface BrokerKeyParts {
  readonly id: string;
  readonly secret: string;
}

/** A newly minted key: its parts and the full text, shown to the operator once. */
export interface MintedBrokerKey extends BrokerKeyParts {
  readonly text: string;
}

/** The Authorization header does not carry a well-formed broker key. Carries no part of the header. */
export class MalformedBrokerKeyError extends Error {
  override readonly name = "MalformedBrokerKeyError";
  constructor() {
    super("The Authorization header does not carry a broker key (Bearer vsb_<id>_<secret>).");
  }
}

/** Mints a new key from the operating system's CSPRNG. */
export function mintBrokerKey(random: (size: number) => Buffer = randomBytes): MintedBrokerKey {
  const id = randomString(ID_ALPHABET, KEY_ID_LENGTH, random);
  const secret = randomString(SECRET_ALPHABET, KEY_SECRET_LENGTH, random);
  return { id, secret, text: `${BROKER_KEY_PREFIX}${id}_${secret}` };
}

/** Splits `vsb_<id>_<secret>`; throws `MalformedBrokerKeyError` for anything else. */
export function parseBrokerKey(text: string): BrokerKeyParts {
  const match = text.length <= MAX_HEADER_LENGTH ? KEY_PATTERN.exec(text) : null;
  if (match?.[1] === undefined || match[2] === undefined) throw new MalformedBrokerKeyError();
  return { id: match[1], secret: match[2] };
}

/** Reads the key from an `Authorization: Bearer vsb_...` header value. */
export function parseBearerBrokerKey(authorization: string | undefined): BrokerKeyParts {
  if (authorization === undefined || authorization.length > MAX_HEADER_LENGTH)
    throw new MalformedBrokerKeyError();
  const token = BEARER_PATTERN.exec(authorization)?.[1];
  if (token === undefined) throw new MalformedBrokerKeyError();
  return parseBrokerKey(token);
}

/**
 * Uniform characters by rejection sampling: a byte is used only when it falls below the largest
 * multiple of the alphabet's size, so no character is likelier than another (no modulo bias).
 */
function randomString(alphabet: string, length: number, random: (size: number) => Buffer): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
