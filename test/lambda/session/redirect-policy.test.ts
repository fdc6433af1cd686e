import { describe, expect, it } from "vitest";
import { ForbiddenRequestError, SessionValidationError } from "../../../lambda/errors/request-errors.ts";
import { checkRedirectAllowList } from "../../../lambda/session/redirect-policy.ts";
import { checkSessionUrls } from "../../../lambda/session/url-policy.ts";
import { URL_RULES } from "../../../lambda/session/url-rules.ts";

// A redirect_uri as the policy checks it: the URL rules with the operator's options
// (url-policy.ts), then the allow-list (redirect-policy.ts). Its input already passed the schema.

interface RedirectPolicy {
  readonly allowList: readonly string[];
  readonly allowLoopbackHttp: boolean;
  readonly allowPunycode?: boolean;
}

const OPEN: RedirectPolicy = { allowList: [], allowLoopbackHttp: false };
const LOCAL: RedirectPolicy = { allowList: [], allowLoopbackHttp: true };
const LISTED: RedirectPolicy = {
  allowList: ["https://app.example.com", "https://partner.example/done", "https://cb.example:8443/"],
  allowLoopbackHttp: false,
};

function checkRedirectUri(value: string, policy: RedirectPolicy): void {
  const { allowLoopbackHttp, allowPunycode = false } = policy;
  checkSessionUrls({ redirect_uri: value }, { allowLoopbackHttp, allowPunycode });
  checkRedirectAllowList(value, policy);
}

const outcome = (value: string, policy: RedirectPolicy) => {
  try {
    checkRedirectUri(value, policy);
    return "accepted";
  } catch (error) {
    if (error instanceof ForbiddenRequestError) return "403";
    if (error instanceof SessionValidationError) return "422";
    throw error;
  }
};

describe("Unit: redirect policy", () => {
  describe("host as typed", () => {
    it.each([
      ["a percent-encoded letter", "https://%61pp.example.com/"],
      ["a percent-encoded dot", "https://app%2eexample.com/"],
      ["a Cyrillic look-alike", "https://аpp.example.com/"],
      ["a Greek look-alike", "https://αpp.example.com/"],
      ["a fullwidth letter", "https://ａpp.example.com/"],
      ["an ideographic full stop", "https://app.example.com。evil.example/"],
      ["a soft hyphen", "https://app.exam\u00adple.com/"],
      ["an empty userinfo", "https://@app.example.com/"],
      ["an empty userinfo with a colon", "https://:@app.example.com/"],
      ["an underscore", "https://app_1.example.com/"],
      ["a leading hyphen", "https://-app.example.com/"],
      ["a trailing hyphen in a label", "https://app-.example.com/"],
      ["a trailing dot", "https://app.example.com./"],
      ["an empty label", "https://app..example.com/"],
    ])("refuses %s with a 422 naming redirect_uri", (_name, value) => {
      expect(() => checkRedirectUri(value, OPEN)).toThrow(SessionValidationError);
      expect(() => checkRedirectUri(value, OPEN)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ path: "redirect_uri" })] }),
      );
    });

    it.each([
      "https://xn--pp-8cd.example.com/",
      "https://app.xn--e1afmkfd.example/",
      "https://XN--pp-8cd.example.com/",
    ])("refuses the punycode host %s", (value) => {
      expect(() => checkRedirectUri(value, OPEN)).toThrow(
        expect.objectContaining({
          problems: [{ path: "redirect_uri", problem: URL_RULES.punycode }],
        }),
      );
    });

    it("accepts a punycode host when the operator allows them", () => {
      expect(outcome("https://xn--bcher-kva.example/", { ...OPEN, allowPunycode: true })).toBe("accepted");
    });

    it.each([
      "https://app.example.com",
      "https://app.example.com/",
      "https://APP.Example.COM/done",
      "https://a.b.c.d.example.com:8443/x?y=z#f",
      "https://a-b.example/",
      `https://${"a".repeat(63)}.example.com/`,
    ])("accepts the plain host in %s", (value) => {
      expect(outcome(value, OPEN)).toBe("accepted");
    });
  });

  describe("scheme", () => {
    it("refuses http by default", () => {
      expect(() => checkRedirectUri("http://app.example.com/", OPEN)).toThrow(
        expect.objectContaining({ problems: [{ path: "redirect_uri", problem: URL_RULES.https }] }),
      );
    });

    it.each([
      ["http://localhost:3000/", URL_RULES.internalHost],
      ["https://localhost/", URL_RULES.internalHost],
      ["http://127.0.0.1/", URL_RULES.ipLiteral],
      ["https://[::1]:8443/", URL_RULES.ipLiteral],
    ])("refuses the loopback URL %s by default", (value, problem) => {
      expect(() => checkRedirectUri(value, OPEN)).toThrow(
        expect.objectContaining({ problems: [{ path: "redirect_uri", problem }] }),
      );
    });

    it.each([
      "http://localhost/",
      "http://localhost:5173/callback",
      "http://LOCALHOST/",
      "http://127.0.0.1:3000/",
      "http://127.1.2.3/",
      "http://[::1]:8080/",
    ])("accepts the loopback URL %s when loopback redirects are on", (value) => {
      expect(outcome(value, LOCAL)).toBe("accepted");
    });

    it.each([
      "http://localhost.evil.example/",
      "http://127.0.0.1.evil.example/",
      "http://evil.example/localhost",
      "http://10.0.0.1/",
      "http://[::2]/",
      "http://[::ffff:127.0.0.1]/",
    ])("still refuses %s when loopback redirects are on", (value) => {
      expect(outcome(value, LOCAL)).toBe("422");
    });
  });

  describe("allow-list", () => {
    it.each([
      "https://app.example.com",
      "https://app.example.com/",
      "https://app.example.com/any/path?q=1#f",
      "https://APP.EXAMPLE.COM/x",
      "https://app.example.com:443/x",
      "https://partner.example/done",
      "https://partner.example/./done",
      "https://cb.example:8443/anything",
    ])("accepts %s", (value) => {
      expect(outcome(value, LISTED)).toBe("accepted");
    });

    it.each([
      ["another host", "https://evil.example/"],
      ["a suffix of an allowed host", "https://evil-app.example.com/"],
      ["an allowed host as a prefix", "https://app.example.com.evil.example/"],
      ["a subdomain", "https://www.app.example.com/"],
      ["the allowed host on another port", "https://app.example.com:8443/"],
      ["the allowed port-specific origin on the default port", "https://cb.example/"],
      ["an exact URL with a query", "https://partner.example/done?x=1"],
      ["an exact URL with a fragment", "https://partner.example/done#x"],
      ["an exact URL with a trailing slash", "https://partner.example/done/"],
      ["an exact URL's origin only", "https://partner.example/"],
      ["an exact URL with an encoded letter", "https://partner.example/%64one"],
      ["an exact URL in another case", "https://partner.example/DONE"],
    ])("refuses %s with a 403", (_name, value) => {
      expect(() => checkRedirectUri(value, LISTED)).toThrow(ForbiddenRequestError);
      expect(() => checkRedirectUri(value, LISTED)).toThrow(
        expect.objectContaining({ field: "redirect_uri" }),
      );
    });

    it("checks the host and scheme before the list: a listed look-alike is still a 422", () => {
      const policy: RedirectPolicy = {
        allowList: ["https://xn--pp-8cd.example.com"],
        allowLoopbackHttp: false,
      };

      expect(outcome("https://xn--pp-8cd.example.com/", policy)).toBe("422");
      expect(outcome("http://app.example.com/", LISTED)).toBe("422");
    });

    it("lets an http loopback rule match only when loopback redirects are on", () => {
      const rules = ["http://localhost:5173"];

      expect(outcome("http://localhost:5173/cb", { allowList: rules, allowLoopbackHttp: true })).toBe(
        "accepted",
      );
      expect(outcome("http://localhost:5174/cb", { allowList: rules, allowLoopbackHttp: true })).toBe("403");
      expect(outcome("http://localhost:5173/cb", { allowList: rules, allowLoopbackHttp: false })).toBe("422");
    });
  });
});
