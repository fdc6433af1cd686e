import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LoopbackBrowser,
  launchLoopbackChromium,
  serveOutsideUrls,
  watchContext,
} from "./support/chromium.ts";

// The browser suite's network guard must be able to fail: a page that reaches for the outside is
// refused by the proxy and listed as an escape, while routed outside URLs are served and not listed.

describe("Browser: loopback guard", () => {
  let chromium: LoopbackBrowser;

  beforeAll(async () => {
    chromium = await launchLoopbackChromium();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it("refuses requests that leave loopback, over HTTPS and plain HTTP, and lists them as escapes", async () => {
    const context = await chromium.browser.newContext();
    const watched = watchContext(context);
    const page = await context.newPage();

    await expect(page.goto("https://example.com/")).rejects.toThrow(/ERR_TUNNEL_CONNECTION_FAILED/);
    // Chromium shows its own error page for the proxy's 403, interrupting the navigation.
    await page.goto("http://example.com/page").catch(() => undefined);
    await context.close();

    expect(watched.escapes()).toEqual(
      expect.arrayContaining(["https://example.com/", "http://example.com/page"]),
    );
    expect(chromium.refused).toEqual(
      expect.arrayContaining(["https://example.com:443", "http://example.com/page"]),
    );
  });

  it("serves routed outside URLs without listing them as escapes", async () => {
    const context = await chromium.browser.newContext();
    const watched = watchContext(context);
    await serveOutsideUrls(context, {
      canned: { "https://cdn.example.com/x.txt": { contentType: "text/plain", body: "ok" } },
    });
    const page = await context.newPage();

    const answer = await page.goto("https://cdn.example.com/x.txt");
    const text = await answer?.text();
    await context.close();

    expect(text).toBe("ok");
    expect(watched.escapes()).toEqual([]);
  });
});
