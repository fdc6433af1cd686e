import { describe, expect, it } from "vitest";
import { mintBrokerKey } from "../../../lambda/broker-keys/key-format.ts";
import {
  createKeyHasher,
  KEY_HASH_LENGTH,
  MIN_PEPPER_LENGTH,
  PepperTooShortError,
} from "../../../lambda/broker-keys/key-hash.ts";

const PEPPER = "p".repeat(MIN_PEPPER_LENGTH);

describe("Unit: broker key hash", () => {
  const hasher = createKeyHasher(PEPPER);
  const key = mintBrokerKey();
  const stored = hasher.hash(key.id, key.secret);

  it("stores a 43-character base64url HMAC, never the secret", () => {
    expect(stored).toMatch(/^[\w-]+$/);
    expect(stored).toHaveLength(KEY_HASH_LENGTH);
    expect(stored).not.toContain(key.secret);
  });

  it("is deterministic for one pepper and differs for another", () => {
    expect(hasher.hash(key.id, key.secret)).toBe(stored);
    expect(createKeyHasher("q".repeat(MIN_PEPPER_LENGTH)).hash(key.id, key.secret)).not.toBe(stored);
  });

  it("verifies the right secret", () => {
    expect(hasher.verify(key.id, key.secret, stored)).toBe(true);
  });

  it("refuses a wrong secret, another key's id, and a secret differing in one character", () => {
    const other = mintBrokerKey();
    const flipped = `${key.secret.slice(0, -1)}${key.secret.endsWith("a") ? "b" : "a"}`;

    expect(hasher.verify(key.id, other.secret, stored)).toBe(false);
    expect(hasher.verify(other.id, key.secret, stored)).toBe(false);
    expect(hasher.verify(key.id, flipped, stored)).toBe(false);
  });

  it("refuses when there is no stored hash or it is unreadable", () => {
    expect(hasher.verify(key.id, key.secret, undefined)).toBe(false);
    expect(hasher.verify(key.id, key.secret, "")).toBe(false);
    expect(hasher.verify(key.id, key.secret, `${stored}A`)).toBe(false);
    expect(hasher.verify(key.id, key.secret, "A".repeat(KEY_HASH_LENGTH))).toBe(false);
    expect(hasher.verify(key.id, key.secret, "!".repeat(KEY_HASH_LENGTH))).toBe(false);
  });

  it(`refuses a pepper shorter than ${MIN_PEPPER_LENGTH} characters`, () => {
    expect(() => createKeyHasher("short")).toThrow(PepperTooShortError);
    expect(() => createKeyHasher("short")).toThrow(expect.objectContaining({ name: "PepperTooShortError" }));
  });
});
