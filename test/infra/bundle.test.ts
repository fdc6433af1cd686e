import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESM_REQUIRE_BANNER } from "../../infra/bundling-options.ts";
import { VaultSessionBroker } from "../../infra/vault-session-broker.ts";
import { handlerBundle } from "../support/handler-bundle.ts";
import { runHandlerProcess } from "../support/handler-process.ts";

// The one test that bundles for real: the construct without `functionCode`, so esbuild runs with
// exactly the options the stack uses.
describe("Bundle: lambda/handler.ts", () => {
  let outdir: string;
  let assetDir: string;
  let variables: Record<string, unknown>;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "broker-bundle-"));
    const app = new App({ outdir, builtinCloudFormationValidation: false, autoSynth: false });
    const stack = new Stack(app, "Bundle");
    new VaultSessionBroker(stack, "Broker", { appId: "bundle-test-app" });
    app.synth();
    const assets = readdirSync(outdir).filter(
      (name) => name.startsWith("asset.") && statSync(join(outdir, name)).isDirectory(),
    );
    expect(assets).toHaveLength(1);
    assetDir = join(outdir, assets[0] as string);
    const [fn] = Object.values(Template.fromStack(stack).findResources("AWS::Lambda::Function"));
    variables = fn?.Properties.Environment.Variables;
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it("is a single ESM file, index.mjs, with no source map", () => {
    expect(readdirSync(assetDir)).toEqual(["index.mjs"]);
  });

  it("starts with the createRequire banner", () => {
    expect(readFileSync(join(assetDir, "index.mjs"), "utf8").startsWith(ESM_REQUIRE_BANNER)).toBe(true);
  });

  it("contains the AWS SDK v3 client instead of importing it from the runtime", () => {
    const code = readFileSync(join(assetDir, "index.mjs"), "utf8");

    expect(code).toContain("GetSecretValue");
    expect(code).not.toMatch(/\bfrom\s*["']@aws-sdk\//);
  });

  it("takes credentials from the environment only: no default chain, no nested STS or SSO clients", () => {
    const code = readFileSync(join(assetDir, "index.mjs"), "utf8");

    expect(code).toContain("Unable to find environment variable credentials.");
    expect(code).not.toContain("AWS_PROFILE is set, skipping fromEnv provider.");
    expect(code).not.toMatch(/AssumeRoleWithWebIdentity|GetRoleCredentials/);
  });

  it("leaves out the SDK's event-stream codecs, which GetSecretValue never loads", () => {
    const code = readFileSync(join(assetDir, "index.mjs"), "utf8");

    expect(code).toContain("event streams are not bundled");
    expect(code).not.toContain("event stream message overhead");
  });

  // The tests (test/global-setup.ts) and the bench build with handlerEsbuildOptions, the esbuild API
  // form of the construct's options; the deployed asset must be that very file, or the tests would
  // pass on one artifact while another ships.
  it("is byte for byte the bundle the tests run", () => {
    expect(readFileSync(join(assetDir, "index.mjs"))).toEqual(readFileSync(handlerBundle().file));
  });

  // Variables that are CloudFormation references (the secret ARN) get a literal stand-in.
  const constructEnvironment = (): Record<string, string> =>
    Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === "string"
          ? value
          : "arn:aws:secretsmanager:eu-west-1:123456789012:secret:apideck-AbC123",
      ]),
    );

  // The bundle sits in a temporary directory with no node_modules above it, so an import of any
  // package that was not bundled would fail here.
  it("loads on Node 24 with the construct's environment and exports the handler", () => {
    const env = constructEnvironment();
    const bundleUrl = pathToFileURL(join(assetDir, "index.mjs")).href;
    const script = `const m = await import(${JSON.stringify(bundleUrl)});
      console.log(JSON.stringify({ node: process.version, handler: typeof m.handler }));`;

    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH, AWS_REGION: "eu-west-1", ...env },
      encoding: "utf8",
    });

    expect(JSON.parse(output.trim().split("\n").at(-1) as string)).toEqual({
      node: expect.stringMatching(/^v24\./),
      handler: "function",
    });
  });

  // Minification renames classes; Lambda's JSON log format names an error by its constructor.
  it("fails its cold start as InvalidEnvironmentError, by name and by constructor, with no stack frames", async () => {
    const run = await runHandlerProcess({
      entry: join(assetDir, "index.mjs"),
      env: { AWS_REGION: "eu-west-1", ...constructEnvironment(), UPSTREAM_TIMEOUT_MS: "50" },
    });

    const message =
      "Invalid configuration, the function cannot start: UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 29000.";
    expect(run.lines().map((line) => line.message)).toEqual([
      {
        errorType: "InvalidEnvironmentError",
        errorMessage: message,
        stackTrace: [`InvalidEnvironmentError: ${message}`],
      },
    ]);
    expect(run.initError?.errorType).toBe("InvalidEnvironmentError");
  });

  it("names a failed direct invocation's error by the answer's type, by name and by constructor", async () => {
    const run = await runHandlerProcess({
      entry: join(assetDir, "index.mjs"),
      env: {
        AWS_REGION: "eu-west-1",
        ...constructEnvironment(),
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      },
      invocations: [{ event: {} }, { event: { consumer_id: "account:1", session: { redirect_uri: "x" } } }],
    });

    expect(run.outcomes.map((o) => ("error" in o ? [o.error.name, o.error.constructorName] : o))).toEqual([
      ["MissingConsumerIdError", "MissingConsumerIdError"],
      ["RequestValidationError", "RequestValidationError"],
    ]);
    // As in Lambda (AWS_LAMBDA_INITIALIZATION_TYPE), INIT starts the secret read; the construct's
    // environment has no AWS credentials (Lambda adds them), so it fails at once: one WARN line,
    // and INIT goes on.
    expect(run.lines().map((line) => [line.level, line.error_name])).toEqual([
      ["WARN", "SecretAccessError"],
      ["INFO", "MissingConsumerIdError"],
      ["INFO", "RequestValidationError"],
    ]);
  });

  it("prints no INFO line when Lambda's log level is WARN", async () => {
    const run = await runHandlerProcess({
      entry: join(assetDir, "index.mjs"),
      env: { AWS_REGION: "eu-west-1", ...constructEnvironment(), AWS_LAMBDA_LOG_LEVEL: "WARN" },
      invocations: [{ event: {} }],
    });

    expect(run.outcomes).toHaveLength(1);
    expect(run.lines().filter((line) => line.level !== "WARN")).toEqual([]);
    expect(run.lines().some((line) => line.message === "vault session request")).toBe(false);
  });
});
