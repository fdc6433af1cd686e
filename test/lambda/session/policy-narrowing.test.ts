import { describe, expect, it } from "vitest";
import { ForbiddenRequestError } from "../../../lambda/errors/request-errors.ts";
import type { SessionPolicy, UnifiedApiId } from "../../../lambda/session/policy.ts";
import { narrowSessionPolicy } from "../../../lambda/session/policy-narrowing.ts";
import { testConfig } from "../fixtures.ts";

const open: SessionPolicy = testConfig.policy;
const withApis = (apis: UnifiedApiId[] | undefined, max = { text: "1h", seconds: 3600 }): SessionPolicy => ({
  ...open,
  allowedUnifiedApis: apis,
  maxSessionLength: max,
});

describe("Unit: policy narrowing", () => {
  it("leaves the policy as it is when the key sets no limits", () => {
    expect(narrowSessionPolicy(open, {})).toEqual(open);
  });

  it("takes the key's APIs when the operator allows all", () => {
    expect(
      narrowSessionPolicy(withApis(undefined), { allowedUnifiedApis: ["crm"] }).allowedUnifiedApis,
    ).toEqual(["crm"]);
  });

  it("intersects the key's APIs with the operator's, never adding one", () => {
    const narrowed = narrowSessionPolicy(withApis(["crm", "hris"]), { allowedUnifiedApis: ["hris", "ats"] });

    expect(narrowed.allowedUnifiedApis).toEqual(["hris"]);
  });

  it("refuses with 403 when the key and the operator share no API", () => {
    expect(() => narrowSessionPolicy(withApis(["crm"]), { allowedUnifiedApis: ["ats"] })).toThrow(
      expect.objectContaining({ constructor: ForbiddenRequestError, field: "settings.unified_apis" }),
    );
  });

  it("takes the shorter of the two session lengths", () => {
    const policy = withApis(undefined, { text: "1h", seconds: 3600 });

    expect(
      narrowSessionPolicy(policy, { maxSessionLength: { text: "30m", seconds: 1800 } }).maxSessionLength,
    ).toEqual({ text: "30m", seconds: 1800 });
    expect(
      narrowSessionPolicy(policy, { maxSessionLength: { text: "7d", seconds: 604_800 } }).maxSessionLength,
    ).toEqual({ text: "1h", seconds: 3600 });
  });

  it("keeps every other rule of the operator", () => {
    const policy: SessionPolicy = { ...open, lockedFields: ["theme"] };

    const narrowed = narrowSessionPolicy(policy, { allowedUnifiedApis: ["crm"] });

    expect(narrowed.lockedFields).toEqual(["theme"]);
    expect(narrowed.redirect).toBe(policy.redirect);
    expect(narrowed.defaults).toBe(policy.defaults);
  });
});
