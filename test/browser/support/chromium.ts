import { mkdir } from "node:fs/promises";
import { type Browser, type BrowserContext, chromium, type Page, type Request } from "playwright-core";
import { type RefusingProxy, startRefusingProxy } from "./refusing-proxy.ts";

/** Debian's Chromium: never a browser a tool downloads. `.ci/run` installs it with apt when missing. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags this sandbox needs (no setuid sandbox, no GPU) and that keep Chromium off the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/** Chromium that can reach only loopback. */
export type LoopbackBrowser = {
  browser: Browser;
  /**
   * What the refusing proxy turned away: the browser's own traffic (update checks, autofill) and
   * preconnects as well as pages' requests. Informational; {@link watchContext} tells what pages tried.
   */
  readonly refused: string[];
  close(): Promise<void>;
};

/**
 * Launches headless Chromium from {@link CHROMIUM_PATH} with every non-loopback connection sent to
 * a refusing proxy, so nothing leaves loopback whoever asks. Not Playwright routing: while any route
 * is set, Playwright answers CORS preflights itself with "allow everything", so a page's cross-origin
 * call would never meet the broker's CORS. Routes serve only the outside URLs a step needs
 * ({@link serveOutsideUrls}), set after its cross-origin calls.
 */
export async function launchLoopbackChromium(): Promise<LoopbackBrowser> {
  const proxy: RefusingProxy = await startRefusingProxy();
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, `--proxy-server=${proxy.url}`],
      headless: true,
    });
    return {
      browser,
      refused: proxy.attempts,
      async close() {
        await browser.close();
        await proxy.close();
      },
    };
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

// Requests answered by serveOutsideUrls' routes: outside URLs on purpose, served from loopback.
const served = new WeakSet<Request>();

/**
 * Watches the requests of every page, frame and worker of `context`; `escapes()` lists those that
 * were for an outside URL and not served by a route (the proxy refused them): a test asserts none.
 */
export function watchContext(context: BrowserContext): { escapes(): string[] } {
  const outside: Request[] = [];
  context.on("request", (request) => {
    const { protocol, hostname } = new URL(request.url());
    if ((protocol === "http:" || protocol === "https:") && hostname !== "127.0.0.1") outside.push(request);
  });
  return { escapes: () => outside.filter((request) => !served.has(request)).map((request) => request.url()) };
}

/** A canned answer the browser gets instead of reaching an outside URL. */
export type Canned = { contentType: string; body: string };

/**
 * Answers the few outside URLs a step needs from loopback, with Playwright routes on `context`:
 * `mirrors` maps an origin to a loopback base URL (`https://vaultjs.apideck.com` → `<sim>/vaultjs`),
 * `canned` maps a URL to a fixed body (a theme's logo). Everything else still meets the proxy.
 */
export async function serveOutsideUrls(
  context: BrowserContext,
  options: { mirrors?: Record<string, string>; canned?: Record<string, Canned> },
): Promise<void> {
  for (const [url, canned] of Object.entries(options.canned ?? {})) {
    await context.route(url, (route) => {
      served.add(route.request());
      return route.fulfill({ status: 200, ...canned });
    });
  }
  for (const [origin, base] of Object.entries(options.mirrors ?? {})) {
    await context.route(`${origin}/**`, async (route) => {
      served.add(route.request());
      const url = new URL(route.request().url());
      // Fetched by Playwright from the loopback server, then handed to the page as that origin's answer.
      const response = await route.fetch({ url: `${base}${url.pathname}${url.search}`, maxRedirects: 0 });
      await route.fulfill({ response });
    });
  }
}

/** Writes numbered screenshots of one test's steps under `.browser-out/<test>/`. */
export function screenshots(testName: string): (page: Page, step: string) => Promise<string> {
  const folder = `.browser-out/${testName.replace(/[^\w-]+/g, "-").toLowerCase()}`;
  let count = 0;
  return async (page, step) => {
    await mkdir(folder, { recursive: true });
    count += 1;
    const path = `${folder}/${String(count).padStart(2, "0")}-${step}.png`;
    await page.screenshot({ path, fullPage: true });
    return path;
  };
}
