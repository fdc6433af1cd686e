import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DemoApp, startDemoApp, VAULT_JS_ORIGIN } from "../../infra/local/demo/demo-server.ts";
import { demoOrigins, demoTargetFor } from "../../infra/local/demo/demo-stack.ts";
import { createDevJwtIssuer, type DevJwtIssuer } from "../../infra/local/dev-jwt.ts";
import type { LocalStack } from "../../infra/local/local-stack.ts";

const bundlePath = createRequire(import.meta.url).resolve(
  "@apideck/vault-js/dist/vault-js.umd.production.min.js",
);
const brokerUrl = "http://127.0.0.1:3000";

let demo: DemoApp;
let jwt: DevJwtIssuer;

beforeEach(async () => {
  demo = await startDemoApp();
  jwt = await createDevJwtIssuer();
});

afterEach(async () => {
  await demo.close();
});

describe("Local: demo app server", () => {
  it("answers 503 until it is connected to a broker", async () => {
    const response = await fetch(`${demo.url}/`);

    expect(response.status).toBe(503);
  });

  it("serves the page with the broker's URL and a CSP naming exactly the broker and vault-js's frame", async () => {
    demo.connect({ brokerUrl, mintToken: () => jwt.mint() });

    const response = await fetch(`${demo.url}/`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain(`<meta name="broker-url" content="${brokerUrl}">`);
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
        `connect-src 'self' ${brokerUrl}; frame-src https://vaultjs.apideck.com; ` +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it("escapes the broker URL into the page", async () => {
    demo.connect({ brokerUrl: 'http://127.0.0.1:3000/"><script>', mintToken: () => jwt.mint() });

    const html = await (await fetch(`${demo.url}/`)).text();

    expect(html).toContain('content="http://127.0.0.1:3000/&quot;&gt;&lt;script&gt;"');
  });

  it("mints a development JWT on POST /dev-token only", async () => {
    demo.connect({ brokerUrl, mintToken: () => jwt.mint({ sub: "acme:ada" }) });

    const minted = await fetch(`${demo.url}/dev-token`, { method: "POST" });
    const fetched = await fetch(`${demo.url}/dev-token`);
    const { token } = (await minted.json()) as { token: string };

    expect(minted.headers.get("access-control-allow-origin")).toBeNull();
    expect(await jwt.verify(token)).toMatchObject({ sub: "acme:ada" });
    expect(fetched.status).toBe(404);
  });

  it("serves vault-js's browser bundle unchanged when no frame URL is set", async () => {
    demo.connect({ brokerUrl, mintToken: () => jwt.mint() });
    const original = readFileSync(bundlePath, "utf8");

    const served = await (await fetch(`${demo.url}/vault-js.js`)).text();

    expect(original.startsWith(served)).toBe(true);
    expect(original.slice(served.length)).toMatch(/^\n\/\/# sourceMappingURL=\S+\s*$/);
    expect(served.split(VAULT_JS_ORIGIN)).toHaveLength(4);
  });

  it("points every vault-js use of its frame origin at the stand-in when a frame URL is set", async () => {
    const frame = "http://127.0.0.1:4999/vaultjs/";
    demo.connect({ brokerUrl, mintToken: () => jwt.mint(), vaultJsFrameUrl: frame });

    const served = await (await fetch(`${demo.url}/vault-js.js`)).text();
    const page = await fetch(`${demo.url}/`);

    expect(served).not.toContain(VAULT_JS_ORIGIN);
    expect(served.split(frame)).toHaveLength(4);
    expect(page.headers.get("content-security-policy")).toContain("frame-src http://127.0.0.1:4999;");
  });

  it("serves its script and stylesheet, and 404 for anything else", async () => {
    demo.connect({ brokerUrl, mintToken: () => jwt.mint() });

    const script = await fetch(`${demo.url}/demo.js`);
    const style = await fetch(`${demo.url}/demo.css`);
    const other = await fetch(`${demo.url}/index.html`);

    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("/sessions");
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(other.status).toBe(404);
  });

  it("points vault-js at the simulator's stand-in frame, and leaves it alone with a real Apideck", () => {
    const withSimulator = { url: brokerUrl, jwt, simulator: { url: "http://127.0.0.1:4999" } } as LocalStack;
    const withApideck = { url: brokerUrl, jwt, simulator: undefined } as LocalStack;

    expect(demoTargetFor(withSimulator)).toMatchObject({
      brokerUrl,
      vaultJsFrameUrl: "http://127.0.0.1:4999/vaultjs/",
    });
    expect(demoTargetFor(withApideck).vaultJsFrameUrl).toBeUndefined();
  });

  it("lists its origin on 127.0.0.1 and on localhost for CORS", () => {
    expect(demoOrigins("http://127.0.0.1:3001")).toEqual(["http://127.0.0.1:3001", "http://localhost:3001"]);
  });
});
