import { describe, expect, it } from "vitest";
import {
  isApideckBaseUrl,
  isHttpUrl,
  MAX_URL_LENGTH,
  URL_RULES,
  urlProblem,
} from "../../../lambda/session/url-rules.ts";

describe("Unit: http url", () => {
  it.each([
    "https://mysaas.com/dashboard",
    "http://localhost:3000/done",
    "HTTPS://MYSAAS.COM/",
    "https://mysaas.com/done?tab=crm&x=%20#top",
    "https://[2001:db8::1]:8443/",
    "https://xn--bcher-kva.example/",
  ])("accepts %s", (url) => {
    expect(isHttpUrl(url)).toBe(true);
  });

  it.each([
    ["a javascript: URL", "javascript:alert(1)"],
    ["a javascript: URL with slashes", "javascript://mysaas.com/%0aalert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a file: URL", "file:///etc/passwd"],
    ["a relative path", "/dashboard"],
    ["a scheme-relative URL", "//mysaas.com/dashboard"],
    ["a bare host", "mysaas.com"],
    ["a scheme without slashes", "https:mysaas.com"],
    ["no host", "https://"],
    ["an unparsable port", "https://mysaas.com:99999/"],
    ["a user and password", "https://user:pass@mysaas.com/"],
    ["a user only", "https://user@mysaas.com/"],
    ["a password only", "https://:pass@mysaas.com/"],
    ["a space", "https://mysaas.com/a b"],
    ["a leading space", " https://mysaas.com/"],
    ["a trailing newline", "https://mysaas.com/\n"],
    ["a tab inside the scheme", "ht\ttps://mysaas.com/"],
    ["a non-breaking space", "https://mysaas.com/\u00a0"],
    ["a NUL byte", "https://mysaas.com/\u0000"],
    ["a C1 control character", "https://mysaas.com/\u0085"],
    ["a backslash", "https://mysaas.com\\@evil.example/"],
    ["backslashes instead of slashes", "https:\\\\evil.example\\"],
    ["an empty string", ""],
  ])("rejects %s", (_, url) => {
    expect(isHttpUrl(url)).toBe(false);
  });

  it(`accepts ${MAX_URL_LENGTH} characters and rejects one more`, () => {
    const prefix = "https://mysaas.com/";
    const longest = prefix + "a".repeat(MAX_URL_LENGTH - prefix.length);

    expect(isHttpUrl(longest)).toBe(true);
    expect(isHttpUrl(`${longest}a`)).toBe(false);
  });
});

describe("Unit: url rules", () => {
  const STRICT = { allowLoopbackHttp: false, allowPunycode: false };
  const LOCAL = { allowLoopbackHttp: true, allowPunycode: false };

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "ipLiteral"],
    ["https://0x7f.1/", "ipLiteral"],
    ["https://0177.0.0.1/", "ipLiteral"],
    ["https://2130706433/", "ipLiteral"],
    ["https://127.1/", "ipLiteral"],
    ["https://[::1]/", "ipLiteral"],
    ["https://[fd00:ec2::254]/", "ipLiteral"],
    ["https://localhost/", "internalHost"],
    ["https://api.localhost/", "internalHost"],
    ["https://metadata.google.internal/", "internalHost"],
    ["https://instance-data/", "internalHost"],
    ["https://nas.local/", "internalHost"],
    ["https://router.home.arpa/", "internalHost"],
    ["https://xn--pple-43d.com/", "punycode"],
    ["https://cdn.XN--80ak6aa92e.com/", "punycode"],
    ["https://%61pple.com/", "plainHost"],
    ["https://ａpple.com/", "plainHost"],
    ["https://apple.com./", "plainHost"],
    ["https://user@apple.com/", "userinfo"],
    ["https://@apple.com/", "userinfo"],
    ["http://apple.com/", "https"],
    ["javascript:alert(1)", "form"],
    ["https://apple.com/\u0000", "form"],
  ] as const)("refuses %s under the strict rules, naming the rule", (url, rule) => {
    expect(urlProblem(url, STRICT)).toBe(URL_RULES[rule]);
  });

  it.each([
    "https://apple.com/",
    "https://cdn.apple.com:8443/a.png?x=1#y",
    "https://a-b.example/",
    "https://metadata.acme.example/logo.png",
  ])("accepts %s under the strict rules", (url) => {
    expect(urlProblem(url, STRICT)).toBeUndefined();
  });

  it.each(["http://localhost:5173/cb", "https://localhost/", "http://127.0.0.1:3000/", "http://[::1]/"])(
    "accepts the loopback URL %s only in local mode",
    (url) => {
      expect(urlProblem(url, LOCAL)).toBeUndefined();
      expect(urlProblem(url, STRICT)).toBeDefined();
    },
  );

  it.each(["http://10.0.0.1/", "http://169.254.169.254/", "http://localhost.evil.example/", "http://[::2]/"])(
    "refuses %s even in local mode",
    (url) => {
      expect(urlProblem(url, LOCAL)).toBeDefined();
    },
  );

  it("accepts punycode hosts when the operator allows them", () => {
    expect(urlProblem("https://xn--bcher-kva.example/", { ...STRICT, allowPunycode: true })).toBeUndefined();
  });

  describe("isApideckBaseUrl", () => {
    it.each(["https://unify.apideck.com", "https://proxy.example.com/apideck", "http://127.0.0.1:4010"])(
      "accepts %s",
      (url) => {
        expect(isApideckBaseUrl(url)).toBe(true);
      },
    );

    it.each(["http://unify.apideck.com", "http://10.0.0.5:8080", "ftp://unify.apideck.com"])(
      "refuses %s: the API key would travel in cleartext",
      (url) => {
        expect(isApideckBaseUrl(url)).toBe(false);
      },
    );
  });
});
