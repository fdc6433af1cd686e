import { describe, expect, it } from "vitest";
import { readBrokerKeyContext, toBrokerKeyContext } from "../../../lambda/broker-keys/key-context.ts";
import { RECORD } from "../../support/broker-key-fixtures.ts";

describe("Unit: broker key context", () => {
  it("carries the key's limits from the authorizer to the function", () => {
    const limits = readBrokerKeyContext(toBrokerKeyContext(RECORD));

    expect(limits).toMatchObject({
      keyId: RECORD.id,
      keyName: RECORD.name,
      allowedUnifiedApis: ["crm", "hris"],
      maxSessionLength: { text: "30m", seconds: 1800 },
      expiresAt: Date.parse("2027-11-22T10:00:00.000Z"),
    });
    expect(limits?.scope.globs).toEqual(["tenant-a:*", "demo"]);
  });

  it("reads empty strings as limits the key does not set", () => {
    const { allowed_unified_apis, max_session_length, expires_at, ...open } = RECORD;

    expect(readBrokerKeyContext(toBrokerKeyContext(open))).toMatchObject({
      allowedUnifiedApis: undefined,
      maxSessionLength: undefined,
      expiresAt: undefined,
    });
  });

  it.each([
    ["no context", undefined],
    ["a JWT authorizer's context", { jwt: { claims: {} } }],
    ["a scope that is a regex", { ...toBrokerKeyContext(RECORD), consumerScope: "tenant-(a|b)" }],
    ["an empty scope", { ...toBrokerKeyContext(RECORD), consumerScope: "" }],
    ["an unreadable session length", { ...toBrokerKeyContext(RECORD), maxSessionLength: "soon" }],
    ["an unreadable expiry", { ...toBrokerKeyContext(RECORD), expiresAt: "never" }],
  ])("refuses %s", (_name, raw) => {
    expect(readBrokerKeyContext(raw)).toBeUndefined();
  });
});
