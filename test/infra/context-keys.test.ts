import { describe, expect, it } from "vitest";
import { closestKey, isCdkContextKey, unknownKeyProblems } from "../../infra/context-keys.ts";

const KNOWN = ["appId", "redirectAllowlist", "lockedFields", "tracing", "jwtIssuer", "jwtAudience"];

describe("closestKey", () => {
  it.each([
    ["redirectAllowList", "redirectAllowlist"],
    ["appID", "appId"],
    ["lockedField", "lockedFields"],
    ["tracng", "tracing"],
    ["jwtAudiance", "jwtAudience"],
  ])("suggests %s -> %s", (typed, expected) => {
    expect(closestKey(typed, KNOWN)).toBe(expected);
  });

  it.each(["region", "jwt", "stage", "x"])("suggests nothing for %s, which resembles no key", (typed) => {
    expect(closestKey(typed, KNOWN)).toBeUndefined();
  });
});

describe("isCdkContextKey", () => {
  it.each([
    "@aws-cdk/core:newStyleStackSynthesis",
    "@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver",
    "aws:cdk:bundling-stacks",
    "acknowledged-issue-numbers",
    "cli-telemetry",
    "hosted-zone:account=123456789012:domainName=example.com:region=eu-west-1",
  ])("treats %s as the CDK's", (key) => {
    expect(isCdkContextKey(key)).toBe(true);
  });

  it.each(["appId", "aws:region", "telemetry", "acknowledged"])("does not treat %s as the CDK's", (key) => {
    expect(isCdkContextKey(key)).toBe(false);
  });
});

describe("unknownKeyProblems", () => {
  it("has nothing to say about known and CDK keys", () => {
    expect(unknownKeyProblems(["appId", "aws:cdk:enable-path-metadata"], KNOWN)).toEqual([]);
  });
});
