import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  APP_ID_PLACEHOLDER,
  DEPLOY_CONTEXT_KEYS,
  DeployContextError,
  parseDeployContext,
} from "../../infra/deploy-context.ts";

const parse = (values: Record<string, unknown>) => parseDeployContext((key) => values[key]);
const problemsOf = (values: Record<string, unknown>): string[] => {
  try {
    parse(values);
  } catch (error) {
    if (error instanceof DeployContextError) return [...error.problems];
    throw error;
  }
  throw new Error("expected a DeployContextError");
};

describe("Config: parseDeployContext", () => {
  it("applies the documented defaults when only appId is set", () => {
    expect(parse({ appId: "my-app" })).toEqual({
      appId: "my-app",
      apideckBaseUrl: "https://unify.apideck.com",
      consumerIdClaim: "sub",
      corsOrigins: [],
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetentionDays: 30,
      tracing: false,
    });
  });

  it("parses the cdk.json in the repository (the placeholder appId)", () => {
    const cdkJson = JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8"));

    expect(parse(cdkJson.context).appId).toBe(APP_ID_PLACEHOLDER);
  });

  it("reads -c strings as numbers, booleans and comma-separated lists", () => {
    const context = parse({
      appId: "my-app",
      jwtIssuer: "https://issuer.example.com/",
      jwtAudience: " vault-api , admin-api ",
      corsOrigins: "https://app.example.com,http://localhost:3000",
      throttleRateLimit: "12.5",
      throttleBurstLimit: "25",
      logRetentionDays: "7",
      reservedConcurrency: "2",
      tracing: "true",
    });

    expect(context).toMatchObject({
      jwtAudience: ["vault-api", "admin-api"],
      corsOrigins: ["https://app.example.com", "http://localhost:3000"],
      throttleRateLimit: 12.5,
      throttleBurstLimit: 25,
      logRetentionDays: 7,
      reservedConcurrency: 2,
      tracing: true,
    });
  });

  it("accepts JSON types from cdk.json", () => {
    expect(
      parse({
        appId: "my-app",
        throttleRateLimit: 10,
        tracing: false,
        jwtIssuer: "https://i.example.com/",
        jwtAudience: ["a"],
      }),
    ).toMatchObject({ throttleRateLimit: 10, tracing: false, jwtAudience: ["a"] });
  });

  it("treats empty values as unset", () => {
    expect(parse({ appId: "my-app", secretName: "", alarmEmail: "", tracing: "" })).toMatchObject({
      secretName: undefined,
      alarmEmail: undefined,
      tracing: false,
    });
  });

  it("requires appId", () => {
    expect(problemsOf({})).toEqual(["appId: is required"]);
  });

  it("names every bad key at once", () => {
    const problems = problemsOf({
      appId: "has spaces",
      secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:nosuffix",
      kmsKeyArn: "alias/mine",
      apideckBaseUrl: "http://insecure.example.com",
      consumerIdClaim: "bad claim",
      corsOrigins: "*",
      throttleRateLimit: "fast",
      throttleBurstLimit: "1.5",
      logRetentionDays: "31",
      alarmEmail: "not-an-email",
      reservedConcurrency: "0",
      tracing: "maybe",
    });

    expect(problems.map((p) => p.split(/[.:]/)[0])).toEqual([
      "appId",
      "secretArn",
      "kmsKeyArn",
      "apideckBaseUrl",
      "consumerIdClaim",
      "corsOrigins",
      "throttleRateLimit",
      "throttleBurstLimit",
      "logRetentionDays",
      "alarmEmail",
      "reservedConcurrency",
      "tracing",
    ]);
  });

  it("types the session policy keys as the construct takes them", () => {
    const context = parse({
      appId: "my-app",
      sessionDefaults: '{"theme":{"vault_name":"Acme"}}',
      redirectAllowlist: "https://app.example.com, https://admin.example.com/done",
      lockedFields: "theme,settings.sandbox_mode",
      allowedUnifiedApis: ["crm", "hris"],
      maxSessionLength: "90m",
      consumerIdScope: "tenant-a:*,tenant-b:*",
    });

    expect(context).toMatchObject({
      sessionDefaults: { theme: { vault_name: "Acme" } },
      redirectAllowlist: ["https://app.example.com", "https://admin.example.com/done"],
      lockedFields: ["theme", "settings.sandbox_mode"],
      allowedUnifiedApis: ["crm", "hris"],
      consumerIdScope: ["tenant-a:*", "tenant-b:*"],
    });
    expect(context.maxSessionLength?.toSeconds()).toBe(5400);
  });

  it("checks the session policy keys with the function's parser, naming each context key", () => {
    expect(
      problemsOf({
        appId: "my-app",
        lockedFields: "settings.nope",
        maxSessionLength: "8d",
        allowedUnifiedApis: "crm,nope",
        consumerIdScope: "tenant-[ab]:*",
      }),
    ).toEqual([
      "lockedFields: must name Session fields, e.g. theme,settings.sandbox_mode",
      "allowedUnifiedApis: must be comma-separated Unified API ids (at least one)",
      "maxSessionLength: must be a duration like 30m, 1h or 7d, at most 7d",
      "consumerIdScope: tenant-[ab]:* looks like a regular expression; scopes are globs (* matches any run of characters)",
    ]);
  });

  it("rejects secretName together with secretArn", () => {
    expect(
      problemsOf({
        appId: "my-app",
        secretName: "vault/apideck-key",
        secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vault/apideck-key-AbC123",
      }),
    ).toEqual(["secretArn: set secretName or secretArn, not both"]);
  });

  it("requires jwtIssuer and jwtAudience together", () => {
    expect(problemsOf({ appId: "my-app", jwtIssuer: "https://issuer.example.com/" })).toEqual([
      "jwtAudience: is required when jwtIssuer is set",
    ]);
    expect(problemsOf({ appId: "my-app", jwtAudience: "vault-api" })).toEqual([
      "jwtIssuer: is required when jwtAudience is set",
    ]);
  });

  it("reads only the documented keys", () => {
    const read: string[] = [];
    parseDeployContext((key) => {
      read.push(key);
      return key === "appId" ? "my-app" : undefined;
    });

    expect(read).toEqual([...DEPLOY_CONTEXT_KEYS]);
  });
});
