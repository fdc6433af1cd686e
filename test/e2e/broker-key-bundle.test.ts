import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Apideck } from "@apideck/unify";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizerEsbuildOptions } from "../../infra/bundling-options.ts";
import type { AuthorizerHandler } from "../../infra/local/lambda-authorizer-route.ts";
import type { LocalStack } from "../../infra/local/local-stack.ts";
import { loadBundleHandler } from "../support/handler-bundle.ts";
import { captureLogs } from "../support/log-capture.ts";

// What ships is what is tested: the authorizer bundled with the function's exact esbuild options
// (minified ESM, AWS SDK inside), loaded from a directory with no node_modules, configured only
// through its environment, and run by the local API Gateway in front of the function's bundle.
describe("Bundle: lambda/authorizer.ts behind the local gateway", () => {
  let outdir: string;
  let bundle: string;
  let stack: LocalStack;
  let loadedFrom: Record<string, string> = {};

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), "authorizer-bundle-"));
    bundle = join(outdir, "index.mjs");
    await build({ ...authorizerEsbuildOptions(bundle), logLevel: "silent" });
    for (const name of [
      "APIDECK_APP_ID",
      "APIDECK_BASE_URL",
      "APIDECK_SECRET_ID",
      "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    ])
      delete process.env[name];
    const { startLocalStack } = await import("../../infra/local/local-stack.ts");
    stack = await startLocalStack({
      brokerKeyScope: "tenant-a:*",
      loadHandler: loadBundleHandler,
      // As Lambda starts it: the environment the stack sets, then the bundle's module scope.
      loadAuthorizer: async (env) => {
        loadedFrom = env;
        const functionService = process.env.POWERTOOLS_SERVICE_NAME;
        Object.assign(process.env, env);
        // Node's own loader (require(esm)), not vitest's transform pipeline: see handler-bundle.ts.
        const module = createRequire(import.meta.url)(bundle) as { handler: AuthorizerHandler };
        process.env.POWERTOOLS_SERVICE_NAME = functionService;
        return module.handler;
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  it("is one ESM file with the AWS SDK inside, loaded with the environment the stack sets", () => {
    const code = readFileSync(bundle, "utf8");

    expect(code).toContain("GetItem");
    expect(code).not.toMatch(/\bfrom\s*["']@aws-sdk\//);
    expect(statSync(bundle).size).toBeLessThan(400 * 1024);
    expect(loadedFrom.BROKER_KEYS_TABLE_NAME).toBe(stack.brokerKeys.dynamo.tableName);
  });

  it("authorizes the SDK's broker key and refuses it for another tenant", async () => {
    const logs = captureLogs();
    const sdk = (consumerId: string) =>
      new Apideck({
        apiKey: stack.brokerKeys.key.text,
        appId: stack.appId,
        consumerId,
        serverURL: `${stack.url}/sdk`,
      });

    const ok = await sdk("tenant-a:1").vault.sessions.create({ session: {} });
    const refused = await sdk("tenant-b:1")
      .vault.sessions.create({ session: {} })
      .catch((e: { httpMeta?: { response: Response } }) => e.httpMeta?.response.status);

    expect(ok.createSessionResponse?.statusCode).toBe(200);
    expect(refused).toBe(403);
    const decisions = logs.lines().filter((line) => line.message === "broker key authorization");
    expect(decisions).toEqual([
      expect.objectContaining({
        outcome: "allowed",
        key_name: "local",
        service: "vault-session-broker-authorizer",
      }),
    ]);
    expect(logs.text()).not.toContain(stack.brokerKeys.key.text.slice(17));
  });

  it("refuses a wrong key with API Gateway's bare 403", async () => {
    const wrong = `${stack.brokerKeys.key.text.slice(0, -2)}zz`;

    const response = await fetch(`${stack.url}/sdk/vault/sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${wrong}`, "x-apideck-consumer-id": "tenant-a:1" },
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: "Forbidden" });
  });
});
