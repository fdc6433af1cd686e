import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { handlerBundle } from "../support/handler-bundle.ts";

const run = promisify(execFile);

// Issue 15: undici (the engine of fetch) costs about 95 ms of a cold start. The Apideck call uses
// node:https, loaded with `require` (an ESM import of node:http evaluates its lazy `WebSocket`
// getter, which loads undici), so the bundle's INIT must not load undici at all. The child loads
// the bundle as Lambda does (a fresh process, INIT's secret read included, here refused at once by
// a closed loopback port) and reports Node's own list of the built-in modules it has loaded.
const CHILD = `
const has = (name) => process.moduleLoadList.includes("NativeModule " + name);
await import(process.env.BUNDLE_URL);
const afterInit = { undici: has("internal/deps/undici/undici"), https: has("https") };
await fetch("data:,probe");
const afterFetch = { undici: has("internal/deps/undici/undici") };
console.log(JSON.stringify({ afterInit, afterFetch }));
`;

describe("Integration: the bundle's cold start", () => {
  it("loads node:https but not undici during INIT", async () => {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", CHILD], {
      env: {
        PATH: process.env.PATH ?? "",
        BUNDLE_URL: handlerBundle().url,
        APIDECK_APP_ID: "app",
        APIDECK_SECRET_ID: "apideck-secret",
        APIDECK_BASE_URL: "https://127.0.0.1:9",
        CONSUMER_ID_CLAIM: "sub",
        POWERTOOLS_LOG_LEVEL: "ERROR",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: "https://127.0.0.1:9",
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      },
      timeout: 30_000,
    });

    const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    // The probe works: the transport's module is listed, and a fetch does load undici.
    expect(report.afterInit.https).toBe(true);
    expect(report.afterFetch.undici).toBe(true);
    expect(report.afterInit.undici).toBe(false);
  });
});
