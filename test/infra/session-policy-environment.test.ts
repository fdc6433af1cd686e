import { Duration } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { InvalidBrokerPropsError } from "../../infra/configuration-error.ts";
import {
  policyEnvironment,
  policyProblems,
  sessionLengthText,
} from "../../infra/session-policy-environment.ts";
import type { SessionPolicyProps } from "../../infra/vault-session-broker.ts";
import type { UnifiedApiId } from "../../lambda/session/policy.ts";
import type { Session } from "../../lambda/session/schema.ts";
import { buildBroker } from "./broker-fixture.ts";

const problemsOf = (sessionPolicy: SessionPolicyProps): readonly string[] => {
  try {
    buildBroker({ sessionPolicy });
  } catch (error) {
    if (error instanceof InvalidBrokerPropsError) return error.problems;
    throw error;
  }
  throw new Error("expected an InvalidBrokerPropsError");
};

describe("policyProblems", () => {
  it("accepts what the function accepts", () => {
    expect(
      policyProblems({
        LOCKED_FIELDS: { value: "theme,settings.sandbox_mode", name: "lockedFields" },
        MAX_SESSION_LENGTH: { value: "30m", name: "maxSessionLength" },
      }),
    ).toEqual([]);
  });

  it("names each problem by the name the user typed, never by the variable", () => {
    const problems = policyProblems({
      LOCKED_FIELDS: { value: "settings.no_such_field", name: "lockedFields" },
      MAX_SESSION_LENGTH: { value: "8d", name: "maxSessionLength" },
    });

    expect(problems).toEqual([
      "lockedFields: must be comma-separated Session fields, e.g. theme,settings.sandbox_mode",
      "maxSessionLength: must be a duration like 30m, 1h or 7d (s, m, h or d), at most 7d",
    ]);
    expect(problems.join("\n")).not.toMatch(/LOCKED_FIELDS|MAX_SESSION_LENGTH/);
  });

  it("restates the parser's own sentences as 'name.path: problem'", () => {
    expect(
      policyProblems({ SESSION_DEFAULTS: { value: '{"theme":{"colour":"red"}}', name: "sessionDefaults" } }),
    ).toEqual(["sessionDefaults.theme.colour: is not a known field"]);
    expect(policyProblems({ SESSION_DEFAULTS: { value: "{bad", name: "sessionDefaults" } })).toEqual([
      'sessionDefaults: must be JSON: a partial Session object, e.g. {"theme":{"vault_name":"Acme"}}',
    ]);
  });

  it("reports a problem of the defaults under the defaults' name, with its path", () => {
    const [problem] = policyProblems({
      SESSION_DEFAULTS: { value: '{"redirect_uri":"http://example.com/"}', name: "sessionDefaults" },
    });

    expect(problem).toBe("sessionDefaults.redirect_uri: must use https");
  });

  it("refuses a consumer-id scope that looks like a regular expression, naming the glob", () => {
    expect(
      policyProblems({ CONSUMER_ID_SCOPE: { value: "tenant-a:*,(a+)+", name: "consumerIdScope" } }),
    ).toEqual([
      'consumerIdScope: glob "(a+)+" looks like a regular expression; scopes are globs: * matches any run of characters, everything else is literal',
    ]);
    expect(policyProblems({ CONSUMER_ID_SCOPE: { value: "tenant-a:*,", name: "consumerIdScope" } })).toEqual([
      "consumerIdScope: glob 2 is empty",
    ]);
  });

  it("sets exactly the given variables", () => {
    expect(policyEnvironment({})).toEqual({});
    expect(policyEnvironment({ MAX_SESSION_LENGTH: { value: "2h", name: "x" } })).toEqual({
      MAX_SESSION_LENGTH: "2h",
    });
  });
});

describe("sessionLengthText", () => {
  it.each([
    [Duration.days(7), "7d"],
    [Duration.hours(2), "2h"],
    [Duration.minutes(90), "90m"],
    [Duration.seconds(3600), "1h"],
    [Duration.seconds(45), "45s"],
  ])("writes %s as %s", (duration, text) => {
    expect(sessionLengthText(duration)).toBe(text);
  });

  it("has no text for a duration that is not whole seconds", () => {
    expect(sessionLengthText(Duration.millis(1500))).toBeUndefined();
    expect(sessionLengthText(Duration.seconds(0))).toBeUndefined();
  });
});

describe("Construct: VaultSessionBroker", () => {
  describe("session policy", () => {
    it("sets no policy variable by default, so the function's defaults apply", () => {
      const { template } = buildBroker();

      const [fn] = Object.values(template.findResources("AWS::Lambda::Function"));
      expect(Object.keys(fn?.Properties.Environment.Variables)).not.toContain("MAX_SESSION_LENGTH");
      expect(
        Object.keys(fn?.Properties.Environment.Variables).filter((v) => /SESSION|ALLOW|LOCK|SCOPE/.test(v)),
      ).toEqual([]);
    });

    it("passes every typed policy prop to the function as the variable the handler reads", () => {
      const defaults: Session = { theme: { vault_name: "Acme" } };
      const allowedUnifiedApis: UnifiedApiId[] = ["crm", "accounting"];
      const { template } = buildBroker({
        sessionPolicy: {
          defaults,
          redirectAllowlist: ["https://app.example.com", "https://admin.example.com/done"],
          lockedFields: ["theme", "settings.sandbox_mode"],
          allowedUnifiedApis,
          maxSessionLength: Duration.minutes(30),
          consumerIdScope: ["tenant-a:*", "tenant-b:*"],
        },
      });

      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: {
          Variables: Match.objectLike({
            SESSION_DEFAULTS: '{"theme":{"vault_name":"Acme"}}',
            REDIRECT_ALLOWLIST: "https://app.example.com,https://admin.example.com/done",
            LOCKED_FIELDS: "theme,settings.sandbox_mode",
            ALLOWED_UNIFIED_APIS: "crm,accounting",
            MAX_SESSION_LENGTH: "30m",
            CONSUMER_ID_SCOPE: "tenant-a:*,tenant-b:*",
          }),
        },
      });
    });

    it.each<[SessionPolicyProps, string]>([
      [
        { lockedFields: ["settings.no_such_field"] },
        "sessionPolicy.lockedFields: must be comma-separated Session fields",
      ],
      [
        { allowedUnifiedApis: ["crm", "not-an-api" as UnifiedApiId] },
        "sessionPolicy.allowedUnifiedApis: must be comma-separated Unified API ids",
      ],
      [
        { allowedUnifiedApis: [] },
        "sessionPolicy.allowedUnifiedApis: must be comma-separated Unified API ids",
      ],
      [
        { maxSessionLength: Duration.days(8) },
        "sessionPolicy.maxSessionLength: must be a whole number of seconds, at most 7 days",
      ],
      [
        { maxSessionLength: Duration.millis(1500) },
        "sessionPolicy.maxSessionLength: must be a whole number of seconds",
      ],
      [
        { consumerIdScope: ["tenant-.+"] },
        'sessionPolicy.consumerIdScope: glob "tenant-.+" looks like a regular expression',
      ],
      [
        { defaults: { theme: { colour: "red" } } as Session },
        "sessionPolicy.defaults.theme.colour: is not a known field",
      ],
      [
        { defaults: { redirect_uri: "http://example.com/" } },
        "sessionPolicy.defaults.redirect_uri: must use https",
      ],
    ])("fails the synth for %j, naming the prop", (sessionPolicy, expected) => {
      const problems = problemsOf(sessionPolicy);

      expect(problems).toEqual([expect.stringContaining(expected)]);
    });

    it("names every bad prop at once, and never a variable name", () => {
      const problems = problemsOf({
        lockedFields: ["nope"],
        maxSessionLength: Duration.days(30),
        defaults: { theme: { colour: "red" } } as Session,
      });

      expect(
        problems.map((p) =>
          p
            .split(/[.:]\s?/)
            .slice(0, 2)
            .join("."),
        ),
      ).toEqual(["sessionPolicy.maxSessionLength", "sessionPolicy.defaults", "sessionPolicy.lockedFields"]);
      expect(problems.join("\n")).not.toMatch(/[A-Z]{3,}_[A-Z]/);
    });
  });
});
