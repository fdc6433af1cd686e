import { copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { inject } from "vitest";
import type { HandlerBundle } from "./bundle-build.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Built once per test run by test/global-setup.ts. */
    handlerBundle: HandlerBundle;
  }
}

/** The bundle this test run built (see test/global-setup.ts). */
export function handlerBundle(): HandlerBundle {
  return inject("handlerBundle");
}

let instances = 0;
const nativeRequire = createRequire(import.meta.url);

/**
 * Loads a fresh instance of the bundle, as a new Lambda instance would: its cold start (config,
 * logger, clients) runs again with the `process.env` of the moment, and an invalid environment
 * throws its init error here. Each instance is a copy of `index.mjs` loaded with Node's own
 * require(esm): Node caches modules by file, and vitest's `import()` would run the 350 KB bundle
 * through its transform pipeline (seconds per instance) instead of Node's loader.
 */
export function loadBundleHandler<T = unknown>(): T {
  const bundle = handlerBundle();
  instances += 1;
  const copy = join(bundle.dir, `instance-${process.pid}-${instances}.mjs`);
  copyFileSync(bundle.file, copy);
  return (nativeRequire(copy) as { handler: T }).handler;
}
