import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { sessionPolicyEnvironment } from "../../infra/session-policy-environment.ts";
import { buildBroker } from "./broker-fixture.ts";

describe("Construct: session policy", () => {
  it("sets no policy variable by default, so the function's defaults apply", () => {
    expect(sessionPolicyEnvironment()).toEqual({});
  });

  it("passes every policy prop to the function as the variable the handler reads", () => {
    const { template } = buildBroker({
      sessionPolicy: {
        defaults: { theme: { vault_name: "Acme" } },
        redirectAllowList: ["https://app.example.com", "https://admin.example.com/done"],
        lockedFields: ["theme", "settings.sandbox_mode"],
        allowedUnifiedApis: ["crm", "accounting"],
        maxSessionLength: "30m",
        consumerIdPattern: "tenant-a:.+",
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
          CONSUMER_ID_PATTERN: "tenant-a:.+",
        }),
      },
    });
  });

  it.each([
    [{ lockedFields: ["settings.no_such_field"] }, /LOCKED_FIELDS/],
    [{ allowedUnifiedApis: ["crm", "not-an-api"] }, /ALLOWED_UNIFIED_APIS/],
    [{ maxSessionLength: "8d" }, /MAX_SESSION_LENGTH/],
    [{ consumerIdPattern: "(" }, /CONSUMER_ID_PATTERN/],
    [{ defaults: { theme: { colour: "red" } } }, /SESSION_DEFAULTS\.theme\.colour/],
    [
      { defaults: { redirect_uri: "http://example.com/" } },
      /SESSION_DEFAULTS conflicts with the policy: redirect_uri must use https/,
    ],
  ])("fails the synth for an invalid policy %j", (sessionPolicy, message) => {
    expect(() => buildBroker({ sessionPolicy })).toThrow(message);
  });
});
