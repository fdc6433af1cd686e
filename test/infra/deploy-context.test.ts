import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidDeployContextError } from "../../infra/configuration-error.ts";
import { POLICY_CONTEXT_KEYS } from "../../infra/context-policy.ts";
import {
  APP_ID_PLACEHOLDER,
  DEPLOY_CONTEXT_KEYS,
  DeployContextSchema,
  parseDeployContext,
} from "../../infra/deploy-context.ts";

const parse = (values: Record<string, unknown>) => parseDeployContext(values);
const problemsOf = (values: Record<string, unknown>): string[] => {
  try {
    parse(values);
  } catch (error) {
    if (error instanceof InvalidDeployContextError) return [...error.problems];
    throw error;
  }
  throw new Error("expected an InvalidDeployContextError");
};

// What `cdk synth` (aws-cdk 2.1148.1) passes besides cdk.json's keys, captured from a probe app
// printing `app.node.getAllContext()`, plus what `cdk acknowledge`, `cdk cli-telemetry` and context
// lookups save in cdk.context.json.
const CDK_CONTEXT = {
  "aws:cdk:enable-path-metadata": true,
  "aws:cdk:enable-asset-metadata": true,
  "aws:cdk:version-reporting": true,
  "aws:cdk:bundling-stacks": ["**"],
  "@aws-cdk/core:failSynthOnValidationErrors": false,
  "acknowledged-issue-numbers": [32775],
  "cli-telemetry": false,
  "availability-zones:account=123456789012:region=eu-west-1": ["eu-west-1a"],
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
      logLevel: "INFO",
      systemLogLevel: "WARN",
      dashboard: true,
      brokerKeys: false,
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
      logLevel: "warn",
      systemLogLevel: " Info ",
    });

    expect(context).toMatchObject({
      jwtAudience: ["vault-api", "admin-api"],
      corsOrigins: ["https://app.example.com", "http://localhost:3000"],
      throttleRateLimit: 12.5,
      throttleBurstLimit: 25,
      logRetentionDays: 7,
      reservedConcurrency: 2,
      tracing: true,
      logLevel: "WARN",
      systemLogLevel: "INFO",
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
      logLevel: "verbose",
      systemLogLevel: "ERROR",
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
      "logLevel",
      "systemLogLevel",
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
      "lockedFields: must be comma-separated Session fields, e.g. theme,settings.sandbox_mode",
      expect.stringMatching(
        /^allowedUnifiedApis: must be comma-separated Unified API ids, at least one of: accounting, /,
      ),
      "maxSessionLength: must be a duration like 30m, 1h or 7d (s, m, h or d), at most 7d",
      'consumerIdScope: glob "tenant-[ab]:*" looks like a regular expression; scopes are globs: * matches any run of characters, everything else is literal',
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

  it("reads jwtScopes as a list of OAuth scopes, with the JWT route only", () => {
    expect(
      parse({
        appId: "my-app",
        jwtIssuer: "https://issuer.example.com/",
        jwtAudience: "vault-api",
        jwtScopes: "vault:sessions, vault:admin",
      }).jwtScopes,
    ).toEqual(["vault:sessions", "vault:admin"]);
    expect(problemsOf({ appId: "my-app", jwtScopes: "vault:sessions" })).toEqual([
      "jwtScopes: needs jwtIssuer and jwtAudience",
    ]);
    expect(
      problemsOf({
        appId: "my-app",
        jwtIssuer: "https://issuer.example.com/",
        jwtAudience: "vault-api",
        jwtScopes: ['say "hi"'],
      }),
    ).toEqual([
      'jwtScopes: "say \\"hi\\"" must be OAuth scopes: printable ASCII without spaces, quotes or backslashes',
    ]);
  });

  it("requires jwtIssuer and jwtAudience together", () => {
    expect(problemsOf({ appId: "my-app", jwtIssuer: "https://issuer.example.com/" })).toEqual([
      "jwtAudience: is required when jwtIssuer is set",
    ]);
    expect(problemsOf({ appId: "my-app", jwtAudience: "vault-api" })).toEqual([
      "jwtIssuer: is required when jwtAudience is set",
    ]);
  });

  it("documents exactly the keys it reads", () => {
    expect([...DEPLOY_CONTEXT_KEYS].sort()).toEqual(
      [...Object.keys(DeployContextSchema.shape), ...Object.keys(POLICY_CONTEXT_KEYS)].sort(),
    );
  });

  it("has a row in README's context-key table for exactly the keys it reads", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const table = readme.slice(readme.indexOf("| key | default | meaning |"));
    const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);

    expect(rows.map((row) => /^\| `(\w+)` \|/.exec(row)?.[1])).toEqual([...DEPLOY_CONTEXT_KEYS]);
  });

  it("leaves the keys the CDK CLI and the CDK put into the context alone", () => {
    expect(parse({ appId: "my-app", ...CDK_CONTEXT }).appId).toBe("my-app");
  });

  it("fails on a misspelt key, suggesting the key it resembles", () => {
    expect(problemsOf({ appId: "my-app", redirectAllowList: "https://app.example.com" })).toEqual([
      "redirectAllowList: is not a setting of this app; did you mean redirectAllowlist?",
    ]);
    expect(problemsOf({ appId: "my-app", trhottleRateLimit: "5" })).toEqual([
      "trhottleRateLimit: is not a setting of this app; did you mean throttleRateLimit?",
    ]);
  });

  it("fails on a key it does not know and nothing resembles", () => {
    expect(problemsOf({ appId: "my-app", region: "eu-west-1" })).toEqual([
      'region: is not a setting of this app (README "Deploy" lists every key)',
    ]);
  });

  it("says what replaced consumerIdPattern", () => {
    expect(problemsOf({ appId: "my-app", consumerIdPattern: "tenant-a:.+" })).toEqual([
      expect.stringMatching(/^consumerIdPattern: was replaced by consumerIdScope: comma-separated globs/),
    ]);
  });

  it("reports unknown keys, invalid values and policy problems in one list", () => {
    expect(
      problemsOf({
        appId: "my-app",
        redirectAllowList: "https://app.example.com",
        throttleRateLimit: "fast",
        maxSessionLength: "8d",
      }),
    ).toEqual([
      "redirectAllowList: is not a setting of this app; did you mean redirectAllowlist?",
      "throttleRateLimit: must be a number",
      "maxSessionLength: must be a duration like 30m, 1h or 7d (s, m, h or d), at most 7d",
    ]);
  });

  it("prints one list with a heading, ready for the terminal", () => {
    try {
      parse({ appId: "", tracing: "maybe" });
    } catch (error) {
      expect((error as Error).message).toBe(
        "Invalid CDK context (cdk.json or -c key=value):\n  - appId: is required\n  - tracing: must be true or false",
      );
      return;
    }
    throw new Error("expected an error");
  });
});
