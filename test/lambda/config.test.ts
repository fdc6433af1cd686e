import { describe, expect, it } from "vitest";
import { loadConfig } from "../../lambda/config.ts";
import { ConfigurationError, InvalidEnvironmentError } from "../../lambda/errors/configuration-errors.ts";

const required = {
  APIDECK_APP_ID: "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX",
  APIDECK_SECRET_ID: "vault-session-broker/apideck-api-key",
};

/** Runs `loadConfig` and returns the `InvalidEnvironmentError` it throws. */
function configError(env: Record<string, string | undefined>): InvalidEnvironmentError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return error as InvalidEnvironmentError;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("Unit: config", () => {
  it("applies the documented defaults when only the required variables are set", () => {
    expect(loadConfig(required)).toMatchObject({
      appId: required.APIDECK_APP_ID,
      secretId: required.APIDECK_SECRET_ID,
      apideckBaseUrl: "https://unify.apideck.com",
      secretCacheTtlMs: 300_000,
      upstreamTimeoutMs: 5_000,
      consumerIdClaim: "sub",
    });
  });

  it("reads every variable and converts units into the names' units", () => {
    const config = loadConfig({
      ...required,
      APIDECK_BASE_URL: "http://127.0.0.1:4010",
      SECRET_CACHE_TTL_SECONDS: "60",
      UPSTREAM_TIMEOUT_MS: "2500",
      CONSUMER_ID_CLAIM: "custom:tenant_id",
    });

    expect(config).toMatchObject({
      apideckBaseUrl: "http://127.0.0.1:4010",
      secretCacheTtlMs: 60_000,
      upstreamTimeoutMs: 2_500,
      consumerIdClaim: "custom:tenant_id",
    });
  });

  it("ignores variables it does not own, as a real Lambda environment has many", () => {
    const config = loadConfig({ ...required, AWS_REGION: "eu-west-1", PATH: "/usr/bin", UNSET: undefined });

    expect(config.appId).toBe(required.APIDECK_APP_ID);
  });

  it.each([
    ["one trailing slash", "https://unify.apideck.com/", "https://unify.apideck.com"],
    ["several trailing slashes", "https://unify.apideck.com///", "https://unify.apideck.com"],
    [
      "a path with a trailing slash",
      "https://proxy.example.com/apideck/",
      "https://proxy.example.com/apideck",
    ],
  ])("strips %s from the base URL", (_, baseUrl, expected) => {
    expect(loadConfig({ ...required, APIDECK_BASE_URL: baseUrl }).apideckBaseUrl).toBe(expected);
  });

  it("accepts a secret ARN as the secret id", () => {
    const arn =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vault-session-broker/apideck-api-key-AbCdEf";

    expect(loadConfig({ ...required, APIDECK_SECRET_ID: arn }).secretId).toBe(arn);
  });

  it.each([
    ["SECRET_CACHE_TTL_SECONDS", "0", { secretCacheTtlMs: 0 }],
    ["SECRET_CACHE_TTL_SECONDS", "86400", { secretCacheTtlMs: 86_400_000 }],
    ["UPSTREAM_TIMEOUT_MS", "100", { upstreamTimeoutMs: 100 }],
    ["UPSTREAM_TIMEOUT_MS", "29000", { upstreamTimeoutMs: 29_000 }],
  ])("accepts %s=%s at the edge of its range", (name, value, expected) => {
    expect(loadConfig({ ...required, [name]: value })).toMatchObject(expected);
  });

  it("names every invalid variable at once", () => {
    const error = configError({
      APIDECK_BASE_URL: "ftp://unify.apideck.com",
      SECRET_CACHE_TTL_SECONDS: "-1",
      UPSTREAM_TIMEOUT_MS: "29001",
      CONSUMER_ID_CLAIM: "not a claim!",
    });

    const named = error.problems.map((problem) => problem.split(" ")[0]);
    expect(error.problems.every((problem) => / (must be|is required:) /.test(problem))).toBe(true);
    expect(new Set(named)).toEqual(
      new Set([
        "APIDECK_APP_ID",
        "APIDECK_SECRET_ID",
        "APIDECK_BASE_URL",
        "SECRET_CACHE_TTL_SECONDS",
        "UPSTREAM_TIMEOUT_MS",
        "CONSUMER_ID_CLAIM",
      ]),
    );
    for (const name of named) expect(error.message).toContain(name);
  });

  it("says a missing required variable is required", () => {
    const error = configError({ APIDECK_SECRET_ID: required.APIDECK_SECRET_ID });

    expect(error.problems).toEqual([
      "APIDECK_APP_ID is required: your Apideck Unify application id: 1 to 128 letters, digits, _ or -",
    ]);
  });

  it("names the function's and the policy's variables together, SESSION_DEFAULTS included", () => {
    const error = configError({
      ...required,
      UPSTREAM_TIMEOUT_MS: "50",
      MAX_SESSION_LENGTH: "8d",
      SESSION_DEFAULTS: "{bad",
    });

    expect(error.problems).toEqual([
      "UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 29000",
      'SESSION_DEFAULTS must be JSON: a partial Session object, e.g. {"theme":{"vault_name":"Acme"}}',
      "MAX_SESSION_LENGTH must be a duration like 30m, 1h or 7d (s, m, h or d), at most 7d",
    ]);
    expect(error.message).toBe(
      `Invalid configuration, the function cannot start: ${error.problems.join("; ")}.`,
    );
  });

  it.each([
    ["APIDECK_APP_ID", "app id", "your Apideck Unify application id"],
    ["APIDECK_SECRET_ID", "secret?", "the name or ARN of the secret"],
    [
      "APIDECK_BASE_URL",
      "unify.apideck.com",
      "an https URL without credentials (http only to a loopback host)",
    ],
    ["SECRET_CACHE_TTL_SECONDS", "5m", "a whole number of seconds from 0 to 86400"],
    ["UPSTREAM_TIMEOUT_MS", "", "a whole number of milliseconds from 100 to 29000"],
    ["CONSUMER_ID_CLAIM", "a claim", "a JWT claim name"],
    ["REDIRECT_ALLOWLIST", "app.example.com", "comma-separated absolute http(s) origins or exact URLs, e.g."],
    ["LOCKED_FIELDS", "colour", "comma-separated Session fields, e.g."],
    ["ALLOWED_UNIFIED_APIS", "", "comma-separated Unified API ids, at least one of: accounting, ats,"],
    ["MAX_SESSION_LENGTH", "1 hour", "a duration like 30m, 1h or 7d"],
    ["ALLOW_HTTP_LOOPBACK_REDIRECTS", "yes", "one of: true, false"],
    ["SESSION_DEFAULTS", "[]", "JSON: a partial Session object"],
  ])("tells the accepted form of %s (given %j) in the one format", (name, value, form) => {
    const error = configError({ ...required, [name]: value });

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${name} must be `));
    expect(error.problems[0]).toContain(form);
  });

  it.each([
    ["APIDECK_APP_ID", ""],
    ["APIDECK_APP_ID", "app id with spaces"],
    ["APIDECK_APP_ID", "a".repeat(129)],
    ["APIDECK_SECRET_ID", ""],
    ["APIDECK_SECRET_ID", "secret name?"],
    ["APIDECK_BASE_URL", ""],
    ["APIDECK_BASE_URL", "unify.apideck.com"],
    ["APIDECK_BASE_URL", "https://user:password@unify.apideck.com"],
    ["APIDECK_BASE_URL", "http://unify.apideck.com"],
    ["APIDECK_BASE_URL", "http://10.0.0.5:8080"],
    ["SECRET_CACHE_TTL_SECONDS", ""],
    ["SECRET_CACHE_TTL_SECONDS", "1.5"],
    ["SECRET_CACHE_TTL_SECONDS", "86401"],
    ["UPSTREAM_TIMEOUT_MS", "99"],
    ["UPSTREAM_TIMEOUT_MS", "5s"],
    ["CONSUMER_ID_CLAIM", ""],
    ["CONSUMER_ID_CLAIM", "c".repeat(129)],
  ])("rejects %s=%j", (name, value) => {
    const error = configError({ ...required, [name]: value });

    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems.every((problem) => problem.startsWith(`${name} `))).toBe(true);
  });

  it("refuses a cleartext APIDECK_BASE_URL, so the bearer API key never travels unencrypted", () => {
    expect(configError({ ...required, APIDECK_BASE_URL: "http://unify.apideck.com" }).problems).toEqual([
      "APIDECK_BASE_URL must be an https URL without credentials (http only to a loopback host), e.g. https://unify.apideck.com",
    ]);
  });

  it("throws an error the handler treats as the operator's, not the caller's", () => {
    expect(configError({})).toBeInstanceOf(ConfigurationError);
    expect(configError({}).name).toBe("InvalidEnvironmentError");
  });
});

describe("Unit: config: regressions", () => {
  // Guards: a non-numeric TTL is named once, with the right problem (unit-test review).
  it("names SECRET_CACHE_TTL_SECONDS=abc once, as not a whole number", () => {
    const error = (() => {
      try {
        loadConfig({ APIDECK_APP_ID: "a", APIDECK_SECRET_ID: "s", SECRET_CACHE_TTL_SECONDS: "abc" });
      } catch (e) {
        return e as InvalidEnvironmentError;
      }
    })();

    expect(error?.problems).toEqual([
      "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 86400",
    ]);
  });
});
