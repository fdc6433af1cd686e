import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../lambda/config.ts";
import { InvalidEnvironmentError } from "../../../lambda/errors/configuration-errors.ts";
import type { SessionPolicy } from "../../../lambda/session/policy.ts";
import {
  LOCKABLE_PATHS,
  PolicyEnvironmentSchema,
  toSessionPolicy,
} from "../../../lambda/session/policy-config.ts";
import { URL_RULES } from "../../../lambda/session/url-rules.ts";

const REQUIRED = { APIDECK_APP_ID: "app", APIDECK_SECRET_ID: "vault-session-broker/apideck-api-key" };

/** The policy, or the problems, for these variables, as the function's cold start sees them. */
function policyOrProblems(env: Record<string, string>): SessionPolicy | string[] {
  try {
    return loadConfig({ ...REQUIRED, ...env }).policy;
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return [...error.problems];
    throw error;
  }
}

function policy(env: Record<string, string>): SessionPolicy {
  const result = policyOrProblems(env);
  if (Array.isArray(result)) throw new Error(result.join("; "));
  return result;
}

function problems(env: Record<string, string>): string[] {
  const result = policyOrProblems(env);
  if (!Array.isArray(result)) throw new Error("expected the configuration to be refused");
  return result;
}

describe("Unit: policy config", () => {
  it("applies the documented defaults: no defaults, no lists, 1h at most, no pattern, https only", () => {
    expect(policy({})).toEqual({
      defaults: {},
      redirect: { allowList: [] },
      urls: { allowLoopbackHttp: false, allowPunycode: false },
      lockedFields: [],
      allowedUnifiedApis: undefined,
      maxSessionLength: { text: "1h", seconds: 3600 },
      consumerScope: undefined,
    });
  });

  it("reads every variable, trimming list items and dropping empty ones", () => {
    const parsed = policy({
      SESSION_DEFAULTS: '{"settings":{"sandbox_mode":true},"theme":{"vault_name":"Acme"}}',
      REDIRECT_ALLOWLIST: " https://app.example.com , https://partner.example/done ,",
      LOCKED_FIELDS: "theme , settings.sandbox_mode,,",
      ALLOWED_UNIFIED_APIS: "crm, hris",
      MAX_SESSION_LENGTH: "30m",
      CONSUMER_ID_SCOPE: "tenant-*",
      ALLOW_HTTP_LOOPBACK_REDIRECTS: "true",
      ALLOW_PUNYCODE_HOSTS: "true",
    });

    expect(parsed).toMatchObject({
      defaults: { settings: { sandbox_mode: true }, theme: { vault_name: "Acme" } },
      redirect: { allowList: ["https://app.example.com", "https://partner.example/done"] },
      urls: { allowLoopbackHttp: true, allowPunycode: true },
      lockedFields: ["theme", "settings.sandbox_mode"],
      allowedUnifiedApis: ["crm", "hris"],
      maxSessionLength: { text: "30m", seconds: 1800 },
    });
  });

  describe("CONSUMER_ID_SCOPE", () => {
    it("reads comma-separated globs into a scope that matches ids in full", () => {
      const scope = policy({ CONSUMER_ID_SCOPE: "tenant-*, ops" }).consumerScope;

      expect(scope?.globs).toEqual(["tenant-*", "ops"]);
    });

    it.each([
      ["(?:[a-z0-9]+-?)+:[0-9]+", /looks like a regular expression; scopes are globs/],
      ["tenant-a:.+", /looks like a regular expression/],
      ["(a+)+$", /looks like a regular expression/],
      ["a,,b", /glob 2 is empty/],
      ["", /at least one glob/],
      ["ümlaut*", /printable ASCII/],
    ])("refuses %j, naming CONSUMER_ID_SCOPE and why", (scope, why) => {
      const found = problems({ CONSUMER_ID_SCOPE: scope });

      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^CONSUMER_ID_SCOPE /);
      expect(found[0]).toMatch(why);
    });
  });

  describe("CONSUMER_ID_PATTERN", () => {
    it.each(["tenant-[0-9]+", "(?:[a-z0-9]+-?)+:[0-9]+", "*"])(
      "refuses %j, saying CONSUMER_ID_SCOPE replaced it",
      (pattern) => {
        expect(problems({ CONSUMER_ID_PATTERN: pattern })).toEqual([
          "CONSUMER_ID_PATTERN is no longer read: it was replaced by CONSUMER_ID_SCOPE (comma-separated globs, * matches any run of characters), e.g. tenant-a:*",
        ]);
      },
    );
  });

  describe("LOCKED_FIELDS", () => {
    it("can lock every Session field at the top level and one level down, and nothing else", () => {
      expect(LOCKABLE_PATHS).toEqual(
        expect.arrayContaining([
          "consumer_metadata",
          "redirect_uri",
          "settings",
          "theme",
          "custom_consumer_settings",
          "settings.sandbox_mode",
          "settings.unified_apis",
          "settings.session_length",
          "theme.vault_name",
          "consumer_metadata.email",
        ]),
      );
      expect(LOCKABLE_PATHS.every((path) => !path.startsWith("custom_consumer_settings."))).toBe(true);
    });

    it.each([
      "settings.nope",
      "custom_consumer_settings.plan",
      "settings.sandbox_mode.deeper",
      "Theme",
      "__proto__",
      "constructor",
      "settings.__proto__",
      "theme;settings",
    ])("refuses a lock on %j", (path) => {
      expect(problems({ LOCKED_FIELDS: `theme,${path}` })).toEqual([
        "LOCKED_FIELDS must be comma-separated Session fields, e.g. theme,settings.sandbox_mode",
      ]);
    });
  });

  it.each([
    ["ALLOWED_UNIFIED_APIS", "crm,nope"],
    ["ALLOWED_UNIFIED_APIS", "CRM"],
    ["MAX_SESSION_LENGTH", "8d"],
    ["MAX_SESSION_LENGTH", "1w"],
    ["MAX_SESSION_LENGTH", "0m"],
    ["MAX_SESSION_LENGTH", "30"],
    ["MAX_SESSION_LENGTH", ""],
    ["REDIRECT_ALLOWLIST", "javascript:alert(1)"],
    ["REDIRECT_ALLOWLIST", "https://app.example.com,app.example.com"],
    ["REDIRECT_ALLOWLIST", "https://user:pw@app.example.com"],
    ["REDIRECT_ALLOWLIST", "https://app.example.com\\@evil.example"],
    ["ALLOW_HTTP_LOOPBACK_REDIRECTS", "yes"],
    ["ALLOW_HTTP_LOOPBACK_REDIRECTS", "TRUE"],
    ["ALLOW_PUNYCODE_HOSTS", "yes"],
    ["SESSION_DEFAULTS", `{"custom_consumer_settings":{"pad":"${"a".repeat(16_400)}"}}`],
  ])("refuses %s=%j, naming the variable", (name, value) => {
    const found = problems({ [name]: value });

    expect(found.length).toBeGreaterThan(0);
    expect(found.every((problem) => problem.startsWith(`${name} `))).toBe(true);
  });

  describe("SESSION_DEFAULTS", () => {
    it("refuses text that is not JSON", () => {
      expect(problems({ SESSION_DEFAULTS: "{theme:1}" })).toEqual([
        'SESSION_DEFAULTS must be JSON: a partial Session object, e.g. {"theme":{"vault_name":"Acme"}}',
      ]);
    });

    it.each([
      ['{"nope":1}', "SESSION_DEFAULTS.nope is not a known field"],
      ['{"__proto__":{"theme":{}}}', "SESSION_DEFAULTS.__proto__ is not a known field"],
      ['{"settings":{"constructor":{}}}', "SESSION_DEFAULTS.settings.constructor is not a known field"],
      ['{"settings":{"sandbox_mode":"yes"}}', "SESSION_DEFAULTS.settings.sandbox_mode must be a boolean"],
      [
        '{"redirect_uri":"javascript:alert(1)"}',
        "SESSION_DEFAULTS.redirect_uri must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
      ],
    ])("refuses %s as an invalid Session, naming the field", (text, problem) => {
      expect(problems({ SESSION_DEFAULTS: text })).toEqual([problem]);
    });

    it.each(["[]", '"{}"', "null", "1"])("refuses %s, which is not an object", (text) => {
      expect(problems({ SESSION_DEFAULTS: text })[0]).toMatch(/^SESSION_DEFAULTS /);
    });

    it.each([
      ["plain http", "http://app.example.com/done", "must use https"],
      ["a look-alike host", "https://аpp.example.com/done", "must have a plain ASCII host name"],
      ["a metadata address", "https://169.254.169.254/", "must not use an IP address"],
    ])("refuses a redirect_uri default with %s, naming the rule", (_name, redirectUri, rule) => {
      const found = problems({ SESSION_DEFAULTS: JSON.stringify({ redirect_uri: redirectUri }) });

      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`SESSION_DEFAULTS.redirect_uri ${rule}`);
    });

    it("refuses a punycode logo default unless the operator allows punycode hosts", () => {
      const defaults = JSON.stringify({ theme: { logo: "https://xn--bcher-kva.example/l.png" } });

      expect(problems({ SESSION_DEFAULTS: defaults })).toEqual([
        `SESSION_DEFAULTS conflicts with the policy: theme.logo ${URL_RULES.punycode}`,
      ]);
      expect(policy({ SESSION_DEFAULTS: defaults, ALLOW_PUNYCODE_HOSTS: "true" }).defaults).toEqual({
        theme: { logo: "https://xn--bcher-kva.example/l.png" },
      });
    });

    it.each([
      [
        "a URL off the allow-list",
        { REDIRECT_ALLOWLIST: "https://app.example.com" },
        "https://evil.example/",
      ],
    ])(
      "refuses a redirect_uri default with %s: it must obey the redirect policy itself",
      (_name, env, redirectUri) => {
        const found = problems({ ...env, SESSION_DEFAULTS: JSON.stringify({ redirect_uri: redirectUri }) });

        expect(found).toHaveLength(1);
        expect(found[0]).toMatch(/^SESSION_DEFAULTS conflicts with the policy: redirect_uri /);
      },
    );

    it.each([
      [
        "a session_length above MAX_SESSION_LENGTH",
        { MAX_SESSION_LENGTH: "30m" },
        { settings: { session_length: "2h" } },
      ],
      [
        "unified_apis outside ALLOWED_UNIFIED_APIS",
        { ALLOWED_UNIFIED_APIS: "crm" },
        { settings: { unified_apis: ["hris"] } },
      ],
    ])(
      "refuses defaults with %s, which would fail every request that leaves the field out",
      (_name, env, defaults) => {
        const found = problems({ ...env, SESSION_DEFAULTS: JSON.stringify(defaults) });

        expect(found).toEqual([
          expect.stringMatching(/^SESSION_DEFAULTS conflicts with the policy: settings\./),
        ]);
      },
    );

    it.each([",", " , "])("refuses ALLOWED_UNIFIED_APIS=%j: an empty list would mean every API", (value) => {
      expect(problems({ ALLOWED_UNIFIED_APIS: value })).toEqual([
        expect.stringMatching(/^ALLOWED_UNIFIED_APIS /),
      ]);
    });

    it("accepts an http loopback redirect default only where loopback redirects are on", () => {
      const env = { SESSION_DEFAULTS: '{"redirect_uri":"http://localhost:5173/done"}' };

      expect(policy({ ...env, ALLOW_HTTP_LOOPBACK_REDIRECTS: "true" }).defaults).toEqual({
        redirect_uri: "http://localhost:5173/done",
      });
      expect(problems(env)).toHaveLength(1);
    });

    it("leaves Object.prototype alone when the defaults carry a __proto__ key", () => {
      problems({ SESSION_DEFAULTS: '{"__proto__":{"polluted":true}}' });

      expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
    });
  });

  it("names every invalid policy variable at once, next to the function's own", () => {
    const found = problems({
      APIDECK_APP_ID: "",
      REDIRECT_ALLOWLIST: "ftp://x",
      LOCKED_FIELDS: "nope",
      ALLOWED_UNIFIED_APIS: "nope",
      MAX_SESSION_LENGTH: "1y",
      CONSUMER_ID_SCOPE: "(",
    });

    expect(new Set(found.map((problem) => problem.split(" ")[0]))).toEqual(
      new Set([
        "APIDECK_APP_ID",
        "REDIRECT_ALLOWLIST",
        "LOCKED_FIELDS",
        "ALLOWED_UNIFIED_APIS",
        "MAX_SESSION_LENGTH",
        "CONSUMER_ID_SCOPE",
      ]),
    );
  });

  it("parses the variables alone with PolicyEnvironmentSchema and builds the policy with toSessionPolicy", () => {
    const vars = PolicyEnvironmentSchema.parse({ MAX_SESSION_LENGTH: "7d", UNRELATED: "x" });

    expect(vars).toEqual({
      MAX_SESSION_LENGTH: "7d",
      ALLOW_HTTP_LOOPBACK_REDIRECTS: "false",
      ALLOW_PUNYCODE_HOSTS: "false",
    });
    expect(toSessionPolicy(vars)).toMatchObject({ maxSessionLength: { text: "7d", seconds: 604_800 } });
  });
});
