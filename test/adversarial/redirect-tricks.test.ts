import { afterEach, describe, expect, it } from "vitest";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// Every redirect trick from issue #4, through the real handler: each is refused before the secret
// is read or Apideck is called, with or without an allow-list. Look-alikes are a 422 (no operator
// could want them); a clean URL that is merely not allow-listed is a 403.

const ALLOW_LIST = { REDIRECT_ALLOWLIST: "https://app.example.com, https://partner.example/done" };

/** Redirects no policy accepts, whatever the allow-list says. */
const TRICKS: [string, string][] = [
  ["a javascript: URL", "javascript:alert(document.cookie)"],
  ["a javascript: URL in mixed case", "JaVaScRiPt:alert(1)"],
  ["a javascript: URL with a leading space", " javascript:alert(1)"],
  ["a javascript: URL disguised by a comment", "javascript://app.example.com/%0aalert(1)"],
  ["a data: URL", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
  ["a vbscript: URL", "vbscript:msgbox(1)"],
  ["a file: URL", "file:///etc/passwd"],
  ["plain http", "http://app.example.com/done"],
  ["plain http to loopback (only the local runner allows it)", "http://localhost:5173/callback"],
  ["a protocol-relative URL", "//evil.example/done"],
  ["a relative path", "/done"],
  ["https without slashes", "https:evil.example"],
  ["https with one slash", "https:/evil.example"],
  ["https with three slashes", "https:///evil.example"],
  ["userinfo naming the good host", "https://app.example.com@evil.example/done"],
  ["userinfo with a password", "https://app.example.com:secret@evil.example/"],
  ["an empty userinfo", "https://@evil.example/"],
  ["an empty userinfo with a colon", "https://:@evil.example/"],
  ["an encoded @ in the host", "https://app.example.com%40evil.example/"],
  ["a backslash before @", "https://evil.example\\@app.example.com/"],
  ["backslashes for slashes", "https:\\\\evil.example\\done"],
  ["a backslash inside the host", "https://app.example.com\\.evil.example/"],
  ["a percent-encoded host letter", "https://%61pp.example.com/done"],
  ["a percent-encoded dot", "https://app%2eexample.com/done"],
  ["a Cyrillic look-alike letter", "https://аpp.example.com/done"],
  ["a fullwidth letter", "https://ａpp.example.com/done"],
  ["an ideographic full stop", "https://app.example.com。evil.example/"],
  ["a soft hyphen the URL parser drops", "https://app.exam\u00adple.com/done"],
  ["a zero-width space", "https://app.example.com\u200b.evil.example/"],
  ["a right-to-left override", "https://\u202eelpmaxe.live/done"],
  ["a punycode host", "https://xn--pp-8cd.example.com/done"],
  ["a trailing dot on the host", "https://app.example.com./done"],
  ["a space in the host", "https://app.example.com .evil.example/"],
  ["a tab the URL parser strips", "https://app.example.com\t.evil.example/"],
  ["a CRLF", "https://app.example.com/done\r\nSet-Cookie: a=b"],
  ["a newline before the scheme", "\nhttps://app.example.com/done"],
  ["a trailing space", "https://app.example.com/done "],
  ["a NUL byte", "https://app.example.com\u0000.evil.example/"],
  ["a DEL character", "https://app.example.com/\u007f"],
  ["a C1 control character", "https://app.example.com/\u0085"],
  ["a no-break space", "https://app.example.com\u00a0/done"],
  ["a line separator", "https://app.example.com/done\u2028"],
  ["an ideographic space", "https://app.example.com\u3000evil.example/"],
  ["a URL longer than 2048 characters", `https://app.example.com/${"a".repeat(2048)}`],
];

describe("Adversarial: redirect tricks", () => {
  let harness: BrokerHarness;

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  describe.each([
    ["without an allow-list", {}],
    ["with an allow-list", ALLOW_LIST],
  ])("%s", (_name, env) => {
    it.each(TRICKS)("refuses %s with 422 before any I/O", async (_trick, redirectUri) => {
      harness = await startBrokerHarness({ env });

      const result = await harness.postVaultSessions({ body: { redirect_uri: redirectUri } });

      expect(result.statusCode).toBe(422);
      expect(result.body.type_name).toBe("RequestValidationError");
      expect(Object.keys(result.body.detail as object)).toEqual(["redirect_uri"]);
      expect(harness.simulator.requests).toHaveLength(0);
      expect(harness.secretsManager.getSecretValueCalls).toBe(0);
    });
  });

  describe("with an allow-list", () => {
    it.each([
      ["another https host", "https://elsewhere.example/done"],
      ["a host that ends with the allowed one", "https://evil-app.example.com/done"],
      ["a host that starts with the allowed one", "https://app.example.com.evil.example/done"],
      ["a subdomain of the allowed host", "https://login.app.example.com/done"],
      ["the allowed host on another port", "https://app.example.com:8443/done"],
      ["the allowed host in the fragment", "https://evil.example/#https://app.example.com"],
      ["the allowed host in the query", "https://evil.example/?next=https://app.example.com"],
      ["an exact-URL rule with a query added", "https://partner.example/done?next=/admin"],
      ["an exact-URL rule with a fragment added", "https://partner.example/done#x"],
      ["an exact-URL rule with another path", "https://partner.example/done/../admin"],
      ["an exact-URL rule with an encoded path", "https://partner.example/%64one"],
      ["an exact-URL rule with a trailing slash", "https://partner.example/done/"],
    ])("refuses %s with 403 naming redirect_uri", async (_name, redirectUri) => {
      harness = await startBrokerHarness({ env: ALLOW_LIST });

      const result = await harness.postVaultSessions({ body: { redirect_uri: redirectUri } });

      expect(result.statusCode).toBe(403);
      expect(result.body).toMatchObject({
        type_name: "ForbiddenRequestError",
        detail: { field: "redirect_uri" },
      });
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it.each([
      ["any path on an allowed origin", "https://app.example.com/settings/integrations?tab=crm#vault"],
      [
        "an allowed origin written with upper-case letters and its default port",
        "https://APP.example.com:443/done",
      ],
      ["an exact-URL rule as written", "https://partner.example/done"],
      ["an exact-URL rule with a dot segment the parser removes", "https://partner.example/./done"],
    ])("accepts %s and sends it unchanged", async (_name, redirectUri) => {
      harness = await startBrokerHarness({ env: ALLOW_LIST });

      const result = await harness.postVaultSessions({ body: { redirect_uri: redirectUri } });

      expect(result.statusCode).toBe(200);
      expect(harness.simulator.requests[0]?.body).toEqual({ redirect_uri: redirectUri });
      expect(harness.simulator.requests[0]?.valid).toBe(true);
    });
  });

  describe("without an allow-list", () => {
    it.each([
      "https://elsewhere.example/callback",
      "https://app.example.com:8443/x?y=1#z",
      "HTTPS://APP.EXAMPLE.COM/done",
    ])("accepts the clean https URL %s", async (redirectUri) => {
      harness = await startBrokerHarness();

      const result = await harness.postVaultSessions({ body: { redirect_uri: redirectUri } });

      expect(result.statusCode).toBe(200);
      expect(harness.simulator.requests[0]?.body).toEqual({ redirect_uri: redirectUri });
    });
  });

  describe("with loopback redirects on (the local runner)", () => {
    const LOCAL = { ALLOW_HTTP_LOOPBACK_REDIRECTS: "true" };

    it.each([
      "http://localhost:5173/callback",
      "http://127.0.0.1:3000/done",
      "http://[::1]:8080/",
      "HTTP://LOCALHOST/x",
    ])("accepts %s", async (redirectUri) => {
      harness = await startBrokerHarness({ env: LOCAL });

      const result = await harness.postVaultSessions({ body: { redirect_uri: redirectUri } });

      expect(result.statusCode).toBe(200);
    });

    it.each([
      ["a host that starts with localhost", "http://localhost.evil.example/"],
      ["a host that starts with a loopback address", "http://127.0.0.1.nip.io/"],
      ["userinfo naming localhost", "http://localhost@evil.example/"],
      ["userinfo naming localhost and a port", "http://localhost:3000@evil.example/"],
      ["a non-loopback host", "http://app.example.com/done"],
      ["a private address", "http://10.0.0.1/"],
      ["a backslash after localhost", "http://localhost\\@evil.example/"],
      ["an encoded localhost", "http://%6cocalhost/"],
    ])("still refuses %s over http", async (_name, redirectUri) => {
      harness = await startBrokerHarness({ env: LOCAL });

      const result = await harness.postVaultSessions({ body: { redirect_uri: redirectUri } });

      expect(result.statusCode).toBe(422);
      expect(harness.simulator.requests).toHaveLength(0);
    });
  });

  describe("every caller gets the same redirect policy", () => {
    it("refuses a trick on the JWT route", async () => {
      harness = await startBrokerHarness({ env: ALLOW_LIST });

      const result = await harness.postSessions({
        body: { redirect_uri: "https://app.example.com@evil.example/" },
      });

      expect(result.statusCode).toBe(422);
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("refuses a redirect off the allow-list on the JWT route", async () => {
      harness = await startBrokerHarness({ env: ALLOW_LIST });

      const result = await harness.postSessions({ body: { redirect_uri: "https://evil.example/" } });

      expect(result.statusCode).toBe(403);
    });

    it.each([
      ["javascript:alert(1)", "RequestValidationError", 422],
      ["https://evil.example/done", "ForbiddenRequestError", 403],
    ])("refuses %s in a direct invocation with a %s", async (redirectUri, name, statusCode) => {
      harness = await startBrokerHarness({ env: ALLOW_LIST });

      const error = await harness
        .invoke({ consumer_id: "account:1", session: { redirect_uri: redirectUri } })
        .catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({ name, statusCode });
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("checks a redirect from SESSION_DEFAULTS the same way once merged", async () => {
      harness = await startBrokerHarness({
        env: {
          ...ALLOW_LIST,
          SESSION_DEFAULTS: JSON.stringify({ redirect_uri: "https://app.example.com/default" }),
        },
      });

      const kept = await harness.postVaultSessions({ body: {} });
      const replaced = await harness.postVaultSessions({ body: { redirect_uri: "https://evil.example/" } });

      expect(kept.statusCode).toBe(200);
      expect(harness.simulator.requests[0]?.body).toEqual({
        redirect_uri: "https://app.example.com/default",
      });
      expect(replaced.statusCode).toBe(403);
      expect(harness.simulator.requests).toHaveLength(1);
    });
  });
});
