import { fileURLToPath } from "node:url";
import { type BundlingOptions, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

/** The function's source entry; its export `handler` is what Lambda invokes. */
export const HANDLER_ENTRY = fileURLToPath(new URL("../lambda/handler.ts", import.meta.url));

/** The broker-key authorizer's source entry, bundled with the same options as the function. */
export const AUTHORIZER_ENTRY = fileURLToPath(new URL("../lambda/authorizer.ts", import.meta.url));

/** The lock file pins the bundled dependency versions, the AWS SDK v3 included. */
export const DEPS_LOCK_FILE = fileURLToPath(new URL("../package-lock.json", import.meta.url));

/** Matches `Runtime.NODEJS_24_X`; esbuild then keeps modern syntax as is. */
export const NODE_TARGET = "node24";

/**
 * ESM output has no `require`, yet some CommonJS dependencies bundled into it still call
 * `require("...")` for Node built-ins; this banner gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Package swaps that hold only in the bundle Lambda runs: the SDK's default credential chain is
 * replaced by the environment alone (lambda/secret/env-credentials.ts), which is where Lambda puts
 * the role's credentials, and the SDK's on-demand event-stream support by a stub that throws
 * (lambda/secret/no-event-streams.ts: none of our AWS calls streams events); local mode and the
 * tests of the source run the standard packages. Paths
 * are relative to the project root, where `NodejsFunction` runs esbuild.
 */
export const LAMBDA_ONLY_ALIASES: Readonly<Record<string, string>> = {
  "@aws-sdk/credential-provider-node": "./lambda/secret/env-credentials.ts",
  "@smithy/core/event-streams": "./lambda/secret/no-event-streams.ts",
};

/**
 * How `NodejsFunction` bundles the handler: locally with the esbuild in node_modules (never Docker),
 * into one minified ESM file (`index.mjs`). The AWS SDK v3 is bundled (`externalModules: []`) so the
 * function runs the version in the lock file, not whatever the runtime ships, and loads only the
 * parts it uses. No source map: it would be read at cold start.
 */
export const HANDLER_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: NODE_TARGET,
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: false,
  externalModules: [],
  forceDockerBundling: false,
  esbuildArgs: {
    "--alias": Object.entries(LAMBDA_ONLY_ALIASES).map(([from, to]) => `${from}=${to}`),
  },
};

/**
 * The same bundle as `HANDLER_BUNDLING`, in esbuild API terms, for tools that build the handler
 * without CDK (the benchmark). `NodejsFunction` adds `bundle` and `platform` itself.
 */
export function handlerEsbuildOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [HANDLER_ENTRY],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: NODE_TARGET,
    mainFields: ["module", "main"],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: false,
    external: [],
    // Absolute, so the build does not depend on the working directory.
    alias: Object.fromEntries(
      Object.entries(LAMBDA_ONLY_ALIASES).map(([from, to]) => [
        from,
        fileURLToPath(new URL(`../${to}`, import.meta.url)),
      ]),
    ),
  };
}

/** {@link handlerEsbuildOptions} for the broker-key authorizer, which the stack bundles alike. */
export function authorizerEsbuildOptions(outfile: string): BuildOptions {
  return { ...handlerEsbuildOptions(outfile), entryPoints: [AUTHORIZER_ENTRY] };
}
