import { describe, expect, it } from "vitest";
import { ForbiddenRequestError, SessionValidationError } from "../../../lambda/errors/request-errors.ts";
import {
  applySessionPolicy,
  checkConsumerScope,
  type SessionPolicy,
} from "../../../lambda/session/policy.ts";
import { PolicyEnvironmentSchema, toSessionPolicy } from "../../../lambda/session/policy-config.ts";
import type { Session } from "../../../lambda/session/schema.ts";
import { URL_RULES } from "../../../lambda/session/url-rules.ts";
import { useBrokerHarness } from "../../support/use-broker-harness.ts";

/** The policy the function would build from these environment variables. */
function policyFrom(env: Record<string, string> = {}): SessionPolicy {
  const policy = toSessionPolicy(PolicyEnvironmentSchema.parse(env));
  if (Array.isArray(policy)) throw new Error(policy.join("; "));
  return policy;
}

/** The error `applySessionPolicy` throws, or undefined. */
function refusal(requested: Session, policy: SessionPolicy, serverDefaults?: Session) {
  try {
    applySessionPolicy(requested, policy, serverDefaults);
    return undefined;
  } catch (error) {
    return error as ForbiddenRequestError | SessionValidationError;
  }
}

describe("Unit: session policy", () => {
  describe("applySessionPolicy", () => {
    it("returns the request unchanged under the default policy", () => {
      const requested: Session = {
        redirect_uri: "https://app.example.com/done",
        settings: { unified_apis: ["crm"] },
      };

      expect(applySessionPolicy(requested, policyFrom())).toEqual(requested);
    });

    it("applies the URL rules to every URL field, naming each field and rule", () => {
      const error = refusal(
        {
          redirect_uri: "https://app.example.com/done",
          consumer_metadata: { image: "https://0x7f.1/a.png" },
          theme: { logo: "https://xn--pple-43d.com/l.png", terms_url: "http://localhost/terms" },
        },
        policyFrom(),
      );

      expect(error).toBeInstanceOf(SessionValidationError);
      expect((error as SessionValidationError).problems).toEqual([
        { path: "consumer_metadata.image", problem: URL_RULES.ipLiteral },
        { path: "theme.logo", problem: URL_RULES.punycode },
        { path: "theme.terms_url", problem: URL_RULES.internalHost },
      ]);
    });

    it("applies the URL rules to the operator's defaults too", () => {
      const policy = { ...policyFrom(), defaults: { theme: { favicon: "http://127.0.0.1/f.ico" } } };

      expect((refusal({}, policy) as SessionValidationError).problems).toEqual([
        { path: "theme.favicon", problem: URL_RULES.ipLiteral },
      ]);
    });

    it("does not change the request or the policy's defaults", () => {
      const policy = policyFrom({
        SESSION_DEFAULTS: '{"settings":{"show_logs":false}}',
        ALLOWED_UNIFIED_APIS: "crm",
      });
      const requested: Session = { settings: { hide_guides: true } };

      applySessionPolicy(requested, policy);

      expect(requested).toEqual({ settings: { hide_guides: true } });
      expect(policy.defaults).toEqual({ settings: { show_logs: false } });
    });

    describe("locked fields", () => {
      const policy = policyFrom({
        LOCKED_FIELDS: "theme, settings.sandbox_mode",
        SESSION_DEFAULTS: '{"theme":{"vault_name":"Acme"},"settings":{"sandbox_mode":true}}',
      });

      it.each([
        [{ theme: {} }, "theme"],
        [{ theme: { primary_color: "#000" } }, "theme"],
        [{ settings: { sandbox_mode: true } }, "settings.sandbox_mode"],
        [{ settings: { sandbox_mode: false, show_logs: true } }, "settings.sandbox_mode"],
      ])("refuses %j with a 403 naming %s", (requested, field) => {
        const error = refusal(requested as Session, policy);

        expect(error).toBeInstanceOf(ForbiddenRequestError);
        expect(error).toMatchObject({
          field,
          message: `${field} is set by the operator and may not be set by the caller.`,
        });
      });

      it("fills locked fields from the defaults when the request leaves them alone", () => {
        expect(applySessionPolicy({ settings: { show_logs: true } }, policy)).toEqual({
          theme: { vault_name: "Acme" },
          settings: { sandbox_mode: true, show_logs: true },
        });
      });

      it("checks only the request, not the defaults or the server's own values", () => {
        const serverDefaults: Session = { consumer_metadata: { email: "ada@example.com" } };

        expect(refusal({}, policy, serverDefaults)).toBeUndefined();
      });
    });

    describe("merge order", () => {
      const policy = policyFrom({
        SESSION_DEFAULTS:
          '{"consumer_metadata":{"account_name":"Acme","user_name":"Operator"},"theme":{"vault_name":"Acme"}}',
      });

      it("puts the server's values over the operator's defaults, and the request over both", () => {
        const serverDefaults: Session = { consumer_metadata: { user_name: "Ada", email: "ada@example.com" } };
        const requested: Session = { consumer_metadata: { email: "ada@work.example" } };

        expect(applySessionPolicy(requested, policy, serverDefaults)).toEqual({
          consumer_metadata: { account_name: "Acme", user_name: "Ada", email: "ada@work.example" },
          theme: { vault_name: "Acme" },
        });
      });
    });

    describe("redirect_uri", () => {
      const policy = policyFrom({
        REDIRECT_ALLOWLIST: "https://app.example.com",
        SESSION_DEFAULTS: '{"redirect_uri":"https://app.example.com/default"}',
      });

      it("checks the merged value: the default when the request has none", () => {
        expect(applySessionPolicy({}, policy).redirect_uri).toBe("https://app.example.com/default");
      });

      it("refuses a requested redirect off the allow-list with a 403 and a look-alike with a 422", () => {
        expect(refusal({ redirect_uri: "https://evil.example/" }, policy)).toBeInstanceOf(
          ForbiddenRequestError,
        );
        expect(refusal({ redirect_uri: "https://аpp.example.com/" }, policy)).toBeInstanceOf(
          SessionValidationError,
        );
      });
    });

    describe("allowed Unified APIs", () => {
      const policy = policyFrom({ ALLOWED_UNIFIED_APIS: "crm,hris" });

      it.each([
        ["no settings", {}],
        ["no list", { settings: { show_logs: true } }],
        ["an empty list", { settings: { unified_apis: [] } }],
      ])("sets exactly the allowed list for %s", (_name, requested) => {
        expect(applySessionPolicy(requested as Session, policy).settings?.unified_apis).toEqual([
          "crm",
          "hris",
        ]);
      });

      it("returns a copy of the allowed list, not the policy's own array", () => {
        const first = applySessionPolicy({}, policy).settings?.unified_apis;
        first?.push("ats");

        expect(applySessionPolicy({}, policy).settings?.unified_apis).toEqual(["crm", "hris"]);
      });

      it("keeps an allowed subset as asked", () => {
        expect(
          applySessionPolicy({ settings: { unified_apis: ["hris"] } }, policy).settings?.unified_apis,
        ).toEqual(["hris"]);
      });

      it("refuses other APIs with a 403 listing each of them", () => {
        const error = refusal({ settings: { unified_apis: ["crm", "ats", "vault"] } }, policy);

        expect(error).toBeInstanceOf(ForbiddenRequestError);
        expect(error).toMatchObject({
          field: "settings.unified_apis",
          message: "settings.unified_apis may not include: ats, vault.",
        });
      });

      it("checks a list that came from the operator's defaults too", () => {
        const withDefaults = policyFrom({
          ALLOWED_UNIFIED_APIS: "crm",
          SESSION_DEFAULTS: '{"settings":{"unified_apis":["crm"]}}',
        });

        expect(applySessionPolicy({}, withDefaults).settings?.unified_apis).toEqual(["crm"]);
      });
    });

    describe("session length", () => {
      const policy = policyFrom({ MAX_SESSION_LENGTH: "30m" });

      it.each(["30m", "1800s", "1m", "90s"])("keeps %s within 30m", (length) => {
        expect(
          applySessionPolicy({ settings: { session_length: length } }, policy).settings?.session_length,
        ).toBe(length);
      });

      it.each(["31m", "1801s", "1h", "7d"])(
        "refuses %s above 30m with a 403 naming the maximum",
        (length) => {
          const error = refusal({ settings: { session_length: length } }, policy);

          expect(error).toBeInstanceOf(ForbiddenRequestError);
          expect(error).toMatchObject({
            field: "settings.session_length",
            message: "settings.session_length may be at most 30m.",
          });
        },
      );

      it("asks for the maximum when the request leaves the length to Apideck's longer 1h default", () => {
        expect(applySessionPolicy({ settings: { show_logs: true } }, policy)).toEqual({
          settings: { show_logs: true, session_length: "30m" },
        });
      });

      it("leaves an omitted length alone when Apideck's 1h default is within the maximum", () => {
        expect(applySessionPolicy({}, policyFrom())).toEqual({});
        expect(applySessionPolicy({}, policyFrom({ MAX_SESSION_LENGTH: "7d" }))).toEqual({});
      });
    });
  });

  describe("checkConsumerScope", () => {
    const policy = policyFrom({ CONSUMER_ID_SCOPE: "tenant-*,ops" });

    it.each(["tenant-1", "tenant-12345", "tenant-", "ops"])("accepts %s, a full match", (consumerId) => {
      expect(() => checkConsumerScope(consumerId, "consumer_id", policy)).not.toThrow();
    });

    it.each(["xtenant-1", "Tenant-1", "opsx", "xops", "ops\n", "tenant", ""])(
      "refuses %j with a 403 naming the field",
      (consumerId) => {
        expect(() => checkConsumerScope(consumerId, "x-apideck-consumer-id", policy)).toThrow(
          expect.objectContaining({ name: "ForbiddenRequestError", field: "x-apideck-consumer-id" }),
        );
      },
    );

    it("accepts every id when no scope is set", () => {
      expect(() => checkConsumerScope("anything at all", "consumer_id", policyFrom())).not.toThrow();
    });

    it("keeps no state between calls", () => {
      for (let i = 0; i < 3; i++)
        expect(() => checkConsumerScope("ops", "consumer_id", policy)).not.toThrow();
    });
  });
});

describe("Unit: session policy: regressions", () => {
  // Guards: claims fill consumer_metadata only under the request, never over a locked default (adversarial review).
  const harnesses = useBrokerHarness();

  it("keeps a locked default when the token's email and name claims would fill it", async () => {
    const harness = await harnesses.start({
      env: {
        LOCKED_FIELDS: "consumer_metadata.email,consumer_metadata.user_name",
        SESSION_DEFAULTS: JSON.stringify({ consumer_metadata: { email: "support@operator.example" } }),
      },
    });

    const result = await harness.postSessions({
      claims: { sub: "u1", email: "attacker@evil.example", name: "Mallory" },
    });

    expect(result.statusCode).toBe(200);
    expect(harness.simulator.requests[0]?.body).toEqual({
      consumer_metadata: { email: "support@operator.example" },
    });
  });
});
