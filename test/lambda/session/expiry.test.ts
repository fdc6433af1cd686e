import { describe, expect, it } from "vitest";
import { sessionExpiresAt } from "../../../lambda/session/expiry.ts";
import { unsignedJwt } from "../fixtures.ts";

const now = Date.UTC(2025, 10, 22, 13, 0, 0);

describe("Unit: session expiry", () => {
  it("takes the token's exp claim when the token is a JWT that has one", () => {
    const exp = now / 1000 + 1_800;

    expect(sessionExpiresAt(unsignedJwt({ exp }), "7d", now)).toEqual(new Date(exp * 1000));
  });

  it("keeps a fractional exp", () => {
    expect(sessionExpiresAt(unsignedJwt({ exp: 1_763_818_200.5 }), undefined, now).getTime()).toBe(
      1_763_818_200_500,
    );
  });

  it("falls back to session_length from now when the token is not a JWT", () => {
    expect(sessionExpiresAt("opaque-session-token", "30m", now)).toEqual(new Date(now + 1_800_000));
  });

  it("falls back to Apideck's one-hour default without a session_length", () => {
    expect(sessionExpiresAt("opaque-session-token", undefined, now)).toEqual(new Date(now + 3_600_000));
  });

  it("falls back to the default for a session_length it cannot read", () => {
    expect(sessionExpiresAt("opaque-session-token", "1w", now)).toEqual(new Date(now + 3_600_000));
  });

  it.each([
    ["has no exp", unsignedJwt({ sub: "account:12345" })],
    ["has a string exp", unsignedJwt({ exp: "1763818200" })],
    ["has a null payload", `e30.${Buffer.from("null").toString("base64url")}.sig`],
    ["has a payload that is not JSON", "e30.bm90IGpzb24.sig"],
    ["has an empty payload", "e30..sig"],
  ])("falls back to session_length when the JWT %s", (_, token) => {
    expect(sessionExpiresAt(token, "7d", now)).toEqual(new Date(now + 7 * 86_400_000));
  });
});

describe("Unit: session expiry: regressions", () => {
  // Guards: an exp outside a Date's range falls back to session_length (unit-test review).
  it("falls back to session_length when the token's exp is outside a Date's range", () => {
    const token = `e30.${Buffer.from(JSON.stringify({ exp: 1e16 })).toString("base64url")}.sig`;

    expect(sessionExpiresAt(token, "30m", 0).toISOString()).toBe(new Date(30 * 60_000).toISOString());
  });
});
