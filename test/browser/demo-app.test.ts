import type { BrowserContext, ConsoleMessage, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserStack, startBrowserStack } from "./support/browser-stack.ts";
import {
  type LoopbackBrowser,
  launchLoopbackChromium,
  screenshots,
  serveOutsideUrls,
  watchContext,
} from "./support/chromium.ts";

// The app flow in a real browser: the demo app (its own origin) gets a development JWT, calls
// POST /sessions across origins, and opens Vault by redirect or with @apideck/vault-js; the
// simulator's stand-in Hosted Vault shows what the session holds. Nothing may leave loopback.

const LOGO_URL = "https://cdn.example.com/acme-logo.svg";
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><rect width="120" height="32" rx="6" fill="#f59e0b"/><text x="60" y="22" font-family="sans-serif" font-size="16" text-anchor="middle" fill="#134e4a">ACME</text></svg>';

/** The operator's policy, as the function reads it: a theme and the Unified APIs sessions may show. */
const POLICY = {
  SESSION_DEFAULTS: JSON.stringify({
    theme: {
      vault_name: "Acme",
      primary_color: "#0f766e",
      sidepanel_background_color: "#134e4a",
      sidepanel_text_color: "#f0fdfa",
      logo: LOGO_URL,
    },
    consumer_metadata: { account_name: "Acme Inc" },
  }),
  ALLOWED_UNIFIED_APIS: "crm,accounting",
};

/** The DOM members the checks read in the page (the project compiles without the DOM library). */
type StyledNode = {
  ownerDocument: { defaultView: { getComputedStyle(node: unknown): Record<string, string> } };
};

/** The signed-in user, as the identity provider's JWT says: the consumer and its name and email. */
const USER = { sub: "acme:ada", name: "Ada Lovelace", email: "ada@acme.test" };

describe("Browser: demo app", () => {
  let chromium: LoopbackBrowser;
  let local: BrowserStack;
  let context: BrowserContext;
  let watched: { escapes(): string[] };

  beforeAll(async () => {
    [chromium, local] = await Promise.all([launchLoopbackChromium(), startBrowserStack(POLICY, USER)]);
  });

  afterEach(async () => {
    await context?.close();
    // A page's request that tried to leave loopback fails the test that made it.
    expect(watched.escapes()).toEqual([]);
  });

  afterAll(async () => {
    await Promise.all([chromium?.close(), local?.close()]);
  });

  /** Opens `url` in a fresh context and waits until the demo app has signed in. */
  async function openPage(url: string): Promise<Page> {
    context = await chromium.browser.newContext({ viewport: { width: 1200, height: 800 } });
    watched = watchContext(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId("events").getByText("signed in as").waitFor();
    return page;
  }

  /**
   * Serves the outside URLs Vault's pages load: the theme's logo, and vault-js's frame origin from
   * the simulator. Called after the cross-origin call (routes would answer its CORS preflight).
   */
  function serveVaultAssets(): Promise<void> {
    return serveOutsideUrls(context, {
      mirrors: { "https://vaultjs.apideck.com": `${local.stack.simulator?.url}/vaultjs` },
      canned: { [LOGO_URL]: { contentType: "image/svg+xml", body: LOGO_SVG } },
    });
  }

  async function createSession(page: Page): Promise<void> {
    await page.getByTestId("create").click();
    await page.getByTestId("outcome").waitFor();
  }

  it("opens Hosted Vault by redirect, showing the consumer and theme that the JWT and the policy produced", async () => {
    const shot = screenshots("redirect-flow");
    const page = await openPage(local.demo.url);
    expect(await page.getByTestId("user").textContent()).toBe("acme:ada");
    await shot(page, "signed-in");

    const before = Date.now();
    await createSession(page);
    expect(await page.getByTestId("outcome-title").textContent()).toBe("Vault session ready");
    const expiry = (await page.getByTestId("expiry").textContent()) ?? "";
    const expiresAt = Date.parse(expiry.replace("Expires at ", ""));
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    await shot(page, "session-ready");

    await serveVaultAssets();
    await page.getByTestId("open-redirect").click();
    await page.waitForURL(`${local.stack.simulator?.url}/session/**`);
    const text = (id: string) => page.getByTestId(id).textContent();
    expect(await text("consumer-id")).toBe("acme:ada");
    expect(await text("consumer-user")).toBe("Ada Lovelace");
    expect(await text("consumer-email")).toBe("ada@acme.test");
    expect(await text("consumer-account")).toBe("Acme Inc");
    expect(await text("vault-name")).toBe("Acme Vault");
    expect(await page.title()).toBe("Acme Vault");
    expect(await page.getByTestId("unified-apis").locator("li").allTextContents()).toEqual([
      "crm",
      "accounting",
    ]);
    expect(await text("redirect-uri")).toBe(`${local.demo.url}/?back=vault`);
    const side = await page.getByTestId("sidepanel").evaluate((node: StyledNode) => {
      const style = node.ownerDocument.defaultView.getComputedStyle(node);
      return { background: style.backgroundColor, color: style.color, border: style.borderRightColor };
    });
    expect(side).toEqual({
      background: "rgb(19, 78, 74)",
      color: "rgb(240, 253, 250)",
      border: "rgb(15, 118, 110)",
    });
    expect(
      await page.getByTestId("logo").evaluate((image: { naturalWidth: number }) => image.naturalWidth),
    ).toBe(120);
    await shot(page, "hosted-vault");

    await page.getByTestId("back-link").click();
    await page.waitForURL(`${local.demo.url}/?back=vault`);
    await page.getByTestId("back-banner").waitFor();
    await shot(page, "back-in-app");
  });

  it("opens the real @apideck/vault-js modal from https://vaultjs.apideck.com and closes it with onClose", async () => {
    const shot = screenshots("vault-js-modal");
    const page = await openPage(local.plainDemo.url);
    await createSession(page);
    await serveVaultAssets();

    await page.getByTestId("open-modal").click();
    const iframe = page.locator("iframe");
    expect(await iframe.getAttribute("src")).toBe("https://vaultjs.apideck.com");
    const modal = page.frameLocator("iframe");
    await modal.getByTestId("modal-consumer-id").waitFor();
    expect(await modal.getByTestId("modal-consumer-id").textContent()).toBe("acme:ada");
    expect(await modal.getByTestId("modal-apis").locator("li").allTextContents()).toEqual([
      "crm",
      "accounting",
    ]);
    expect(await modal.locator("#title").textContent()).toBe("Acme Vault");
    await page.getByTestId("events").getByText("vault-js modal ready (onReady)").waitFor();
    await shot(page, "modal-open");

    await modal.getByTestId("modal-close").click();
    await page.getByTestId("events").getByText("vault-js modal closed (onClose)").waitFor();
    await iframe.waitFor({ state: "detached" });
    await shot(page, "modal-closed");
  });

  it("opens the modal with npm start's vault-js, pointed at the stand-in frame, with no outside origin", async () => {
    const shot = screenshots("vault-js-modal-offline");
    const page = await openPage(local.demo.url);
    await createSession(page);
    // Only the logo: a request for https://vaultjs.apideck.com would meet the refusing proxy.
    await serveOutsideUrls(context, {
      canned: { [LOGO_URL]: { contentType: "image/svg+xml", body: LOGO_SVG } },
    });

    await page.getByTestId("open-modal").click();
    expect(await page.locator("iframe").getAttribute("src")).toBe(`${local.stack.simulator?.url}/vaultjs/`);
    await page.frameLocator("iframe").getByTestId("modal-consumer-id").waitFor();
    await shot(page, "modal-open");
    // The app closes it this time (ApideckVault.close() posts { type: "close" } to the frame).
    await page.evaluate("window.ApideckVault.close()");
    await page.getByTestId("events").getByText("vault-js modal closed (onClose)").waitFor();
  });

  it("is blocked by CORS on an origin the broker does not allow, and the function never runs", async () => {
    const shot = screenshots("cors-blocked");
    const page = await openPage(local.foreignDemo.url);
    const console: string[] = [];
    page.on("console", (message: ConsoleMessage) => console.push(message.text()));
    const apideckCalls = local.stack.simulator?.requests.length;
    expect(local.stack.corsOrigins).toEqual([
      local.plainDemo.url,
      local.demo.url,
      `http://localhost:${new URL(local.demo.url).port}`,
    ]);

    await createSession(page);

    expect(await page.getByTestId("outcome-title").textContent()).toBe("Blocked");
    expect(console.join("\n")).toMatch(/from origin '.*' has been blocked by CORS policy/);
    expect(local.stack.simulator?.requests.length).toBe(apideckCalls);
    await shot(page, "blocked");
  });

  it("shows API Gateway's 401 for a JWT minted for another audience", async () => {
    const shot = screenshots("jwt-other-audience");
    const page = await openPage(local.demo.url);
    await page.locator("summary").click();
    await page.getByTestId("jwt").fill(await local.stack.jwt.mint({ ...USER, aud: "another-api" }));

    await createSession(page);

    expect(await page.getByTestId("outcome-title").textContent()).toBe("Error 401");
    expect(await page.getByTestId("error-message").textContent()).toBe("Unauthorized");
    await shot(page, "unauthorized");
  });

  it("shows the broker's 422 naming redirect_uri for a redirect that is not a web URL", async () => {
    const shot = screenshots("invalid-redirect");
    const page = await openPage(local.demo.url);
    await page
      .getByTestId("body")
      .fill(JSON.stringify({ redirect_uri: "javascript:alert(document.domain)" }));

    await createSession(page);

    expect(await page.getByTestId("outcome-title").textContent()).toBe("Error 422");
    expect(await page.getByTestId("error-message").textContent()).toBe("Invalid request: redirect_uri.");
    const detail = JSON.parse((await page.getByTestId("error-detail").textContent()) ?? "{}");
    expect(Object.keys(detail)).toEqual(["redirect_uri"]);
    await shot(page, "unprocessable");
  });

  it("shows Hosted Vault's error page for a session link whose token was tampered with", async () => {
    const shot = screenshots("tampered-session");
    const response = await fetch(`${local.stack.url}/sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${await local.stack.jwt.mint(USER)}` },
    });
    const { data } = (await response.json()) as { data: { session_uri: string } };
    const [header, payload, signature] = data.session_uri.split("/session/")[1]?.split(".") ?? [];
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, consumer_id: "acme:someone-else" })).toString(
      "base64url",
    );
    const page = await openPage(local.demo.url);

    const answer = await page.goto(`${local.stack.simulator?.url}/session/${header}.${forged}.${signature}`);

    expect(answer?.status()).toBe(401);
    expect(await page.locator("h1").textContent()).toBe("Invalid session");
    expect(await page.content()).not.toContain("someone-else");
    await shot(page, "invalid-session");
  });
});
