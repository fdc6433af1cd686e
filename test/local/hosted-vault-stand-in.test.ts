import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";

const apiKey = "sk_live_simulated";
const appId = "app-123";
const startedAt = Date.UTC(2025, 0, 1, 12, 0, 0);

let simulator: ApideckSimulator;
let clock: number;

beforeEach(async () => {
  clock = startedAt;
  simulator = await startApideckSimulator({ apiKey, appId, now: () => clock });
});

afterEach(async () => {
  await simulator.close();
});

/** Opens a session on the simulator's API and returns its token and session_uri. */
async function openSession(body: unknown = {}, consumerId = "acme:42") {
  const response = await fetch(`${simulator.url}/vault/sessions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "x-apideck-app-id": appId,
      "x-apideck-consumer-id": consumerId,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as { data: { session_uri: string; session_token: string } };
  return { token: data.session_token, uri: data.session_uri };
}

const fullSession = {
  consumer_metadata: { account_name: "Acme Inc", user_name: "Ada Lovelace", email: "ada@acme.test" },
  redirect_uri: "https://app.example.com/integrations",
  settings: { unified_apis: ["crm", "accounting"], sandbox_mode: true },
  theme: {
    vault_name: "Acme",
    primary_color: "#ff6600",
    sidepanel_background_color: "#102030",
    sidepanel_text_color: "#fafafa",
    logo: "https://cdn.example.com/acme.svg",
  },
};

describe("Local: stand-in Hosted Vault", () => {
  describe("GET /session/<token>", () => {
    it("shows the consumer, its metadata, the theme, the Unified APIs, settings, expiry and a link back", async () => {
      const { uri } = await openSession(fullSession);

      const response = await fetch(uri);
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(html).toContain('<code data-testid="consumer-id">acme:42</code>');
      expect(html).toContain(">Ada Lovelace<");
      expect(html).toContain(">Acme Inc<");
      expect(html).toContain(">ada@acme.test<");
      expect(html).toContain("<title>Acme Vault</title>");
      expect(html).toContain("--primary: #ff6600; --side-bg: #102030; --side-text: #fafafa;");
      expect(html).toContain('src="https://cdn.example.com/acme.svg"');
      expect(html).toContain("<li>crm</li><li>accounting</li>");
      expect(html).toContain('data-testid="sandbox"');
      expect(html).toContain(`${new Date(startedAt + 3600_000).toISOString()} (in 60 min)`);
      expect(html).toContain('href="https://app.example.com/integrations">Back to app.example.com</a>');
      expect(html).toContain(`<dd data-testid="application-id">${appId}</dd>`);
    });

    it("shows Vault's defaults when the session sets no theme, APIs or redirect", async () => {
      const { uri } = await openSession({});

      const html = await (await fetch(uri)).text();

      expect(html).toContain("<title>Apideck Vault</title>");
      expect(html).toContain("<li>all Unified APIs</li>");
      expect(html).not.toContain('data-testid="back-link"');
    });

    it("sends a CSP without scripts, no Referer (the URL holds the token) and no caching", async () => {
      const { uri } = await openSession(fullSession);

      const { headers } = await fetch(uri);
      const csp = headers.get("content-security-policy") ?? "";

      expect(csp).toMatch(/^default-src 'none'; style-src 'nonce-[\w+/=]+'; img-src http: https:;/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("script-src");
      expect(headers.get("referrer-policy")).toBe("no-referrer");
      expect(headers.get("cache-control")).toBe("no-store");
    });

    it("escapes markup from the session and drops colours and URLs that are not plain", async () => {
      const { uri } = await openSession({
        consumer_metadata: { user_name: '<img src=x onerror="alert(1)">' },
        redirect_uri: "javascript:alert(1)",
        theme: {
          primary_color: "red; background: url(https://evil.example/x)",
          logo: "data:image/svg+xml,<svg/>",
        },
      });

      const html = await (await fetch(uri)).text();

      expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
      expect(html).not.toContain("<img src=x");
      const style = /<style[^>]*>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
      expect(style).toContain("--primary: #5c51ce;");
      expect(style).not.toContain("evil.example");
      expect(html).not.toContain('data-testid="logo"');
      expect(html).not.toContain('href="javascript:');
    });

    it("answers 401 'Session expired' once the token's exp has passed", async () => {
      const { uri, token } = await openSession({ settings: { session_length: "30m" } });
      clock = startedAt + 30 * 60_000;

      const response = await fetch(uri);
      const html = await response.text();

      expect(response.status).toBe(401);
      expect(html).toContain("<h1>Session expired</h1>");
      expect(html).not.toContain(token);
    });

    it("answers 401 'Invalid session' to a tampered token, without showing anything from it", async () => {
      const { token } = await openSession(fullSession);
      const [header, , signature] = token.split(".");
      const forged = Buffer.from(JSON.stringify({ consumer_id: "victim", exp: 4_000_000_000 })).toString(
        "base64url",
      );

      const response = await fetch(`${simulator.url}/session/${header}.${forged}.${signature}`);
      const html = await response.text();

      expect(response.status).toBe(401);
      expect(html).toContain("<h1>Invalid session</h1>");
      expect(html).not.toContain("victim");
    });

    it("answers 401 to a token signed with another key and to a malformed one", async () => {
      const foreign = await new SignJWT({ consumer_id: "x", application_id: appId })
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime(4_000_000_000)
        .sign(new Uint8Array(32));

      const statuses = [
        (await fetch(`${simulator.url}/session/${foreign}`)).status,
        (await fetch(`${simulator.url}/session/not-a-token`)).status,
        (await fetch(`${simulator.url}/session/`)).status,
      ];

      expect(statuses).toEqual([401, 401, 401]);
    });

    it("answers 405 to another method, and leaves the API's records and faults alone", async () => {
      const { uri } = await openSession();
      simulator.reset();
      simulator.inject({ kind: "status", status: 503 });

      const posted = await fetch(uri, { method: "POST" });
      const viewed = await fetch(uri);

      expect([posted.status, viewed.status]).toEqual([405, 200]);
      expect(simulator.requests).toEqual([]);
      expect((await fetch(`${simulator.url}/vault/sessions`, { method: "POST" })).status).toBe(503);
    });
  });

  describe("GET /vaultjs/ (the vault-js modal frame)", () => {
    it("serves the frame page, its script and stylesheet under a CSP that allows only its own files", async () => {
      const page = await fetch(`${simulator.url}/vaultjs/`);
      const script = await fetch(`${simulator.url}/vaultjs/frame.js`);
      const style = await fetch(`${simulator.url}/vaultjs/frame.css`);

      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script src="frame.js" defer></script>');
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(await script.text()).toContain('tell("on-ready")');
      expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    });

    it("redirects /vaultjs to /vaultjs/ and answers 404 to an unknown file", async () => {
      const bare = await fetch(`${simulator.url}/vaultjs`, { redirect: "manual" });
      const unknown = await fetch(`${simulator.url}/vaultjs/other.js`);

      expect([bare.status, bare.headers.get("location")]).toEqual([308, "/vaultjs/"]);
      expect(unknown.status).toBe(404);
    });

    it("returns a session's verified claims to the frame, and 401 JSON to a bad or missing token", async () => {
      const { token } = await openSession(fullSession);

      const good = await fetch(`${simulator.url}/vaultjs/session`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const bad = await fetch(`${simulator.url}/vaultjs/session`, {
        headers: { authorization: `Bearer ${token}x` },
      });
      const none = await fetch(`${simulator.url}/vaultjs/session`);

      expect(good.status).toBe(200);
      expect(await good.json()).toEqual({
        data: expect.objectContaining({ consumer_id: "acme:42", theme: fullSession.theme }),
      });
      expect([bad.status, none.status]).toEqual([401, 401]);
      expect(await bad.json()).toMatchObject({ status_code: 401, message: "Invalid session" });
    });
  });
});
