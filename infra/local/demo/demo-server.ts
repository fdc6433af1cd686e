import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeHtml } from "../hosted-vault/safe-values.ts";
import {
  type HttpAnswer,
  type LoopbackServer,
  startLoopbackServer,
  writeAnswer,
} from "../loopback-server.ts";

/** The origin `@apideck/vault-js` 1.8.1 iframes its modal from and posts its options to. */
export const VAULT_JS_ORIGIN = "https://vaultjs.apideck.com";

/** What the demo app talks to, known once the local stack runs (see {@link DemoApp.connect}). */
export type DemoTarget = {
  /** The broker's base URL; the page calls `POST <brokerUrl>/sessions` cross-origin. */
  brokerUrl: string;
  /** Mints the development JWT of the signed-in user (the local stack's dev issuer). */
  mintToken: () => Promise<string>;
  /**
   * Where the served vault-js bundle opens its modal frame instead of https://vaultjs.apideck.com
   * (every occurrence of that origin in the bundle is replaced). Unset: the package's file, unchanged.
   */
  vaultJsFrameUrl?: string | undefined;
};

/** The demo app's server: a loopback origin of its own, serving one page, its script and vault-js. */
export type DemoApp = LoopbackServer & {
  /** Points the app at the broker; until then its pages answer 503. */
  connect(target: DemoTarget): void;
};

const require = createRequire(import.meta.url);
const vaultJsBundle = readFileSync(
  require.resolve("@apideck/vault-js/dist/vault-js.umd.production.min.js"),
  "utf8",
).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, ""); // its .map is not served
const files = {
  page: read("index.html"),
  script: read("demo.js"),
  style: read("demo.css"),
};

const notFound: HttpAnswer = { status: 404, headers: { "content-type": "text/plain" }, body: "Not found" };

/**
 * Starts the demo browser app on 127.0.0.1 (`port` 0 picks a free one). `GET /` is the page,
 * `POST /dev-token` mints a development JWT for it (same origin only: no CORS here), and
 * `GET /vault-js.js` is `@apideck/vault-js`'s browser bundle from node_modules.
 */
export async function startDemoApp(options: { port?: number } = {}): Promise<DemoApp> {
  let target: DemoTarget | undefined;

  const server = await startLoopbackServer(async (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (target === undefined) {
      return writeAnswer(res, { status: 503, headers: { "content-type": "text/plain" }, body: "Starting" });
    }
    const key = `${req.method} ${path}`;
    if (key === "POST /dev-token") {
      // A token per page load, as a sign-in would give; the page sends it to the broker only.
      const token = await target.mintToken();
      return writeAnswer(res, asset("application/json", JSON.stringify({ token })));
    }
    if (req.method !== "GET") return writeAnswer(res, notFound);
    if (path === "/") return writeAnswer(res, page(target));
    if (path === "/demo.js") return writeAnswer(res, asset("text/javascript", files.script));
    if (path === "/demo.css") return writeAnswer(res, asset("text/css", files.style));
    if (path === "/vault-js.js") return writeAnswer(res, asset("text/javascript", vaultJs(target)));
    writeAnswer(res, notFound);
  }, options.port);

  return {
    ...server,
    connect(next) {
      target = next;
    },
  };
}

function page(target: DemoTarget): HttpAnswer {
  const frame = new URL(target.vaultJsFrameUrl ?? VAULT_JS_ORIGIN).origin;
  // The policy lists everything the page may reach: its own files, the broker, and vault-js's frame.
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${new URL(target.brokerUrl).origin}`,
    `frame-src ${frame}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  const html = files.page.replace("%BROKER_URL%", escapeHtml(target.brokerUrl));
  return asset("text/html", html, { "content-security-policy": csp });
}

function vaultJs(target: DemoTarget): string {
  const frame = target.vaultJsFrameUrl;
  return frame === undefined ? vaultJsBundle : vaultJsBundle.replaceAll(VAULT_JS_ORIGIN, frame);
}

function asset(type: string, body: string, headers: Record<string, string> = {}): HttpAnswer {
  return {
    status: 200,
    headers: {
      "content-type": `${type}; charset=utf-8`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...headers,
    },
    body,
  };
}

function read(name: string): string {
  return readFileSync(new URL(name, import.meta.url), "utf8");
}
