import { describe, expect, it } from "vitest";
import { isHttpUrl, MAX_URL_LENGTH } from "../../../lambda/session/url-rules.ts";

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
