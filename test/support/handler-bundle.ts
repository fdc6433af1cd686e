import { copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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
const nativeImport = createRequire(import.meta.url)("./native-import.cjs") as (
  url: string,
) => Promise<unknown>;

/**
 * Loads a fresh instance of the bundle, as a new Lambda instance would: its cold start (config,
 * logger, clients) runs again with the `process.env` of the moment, and an invalid environment
 * throws its init error here. Each instance is a copy of `index.mjs` loaded with Node's own
 * `import()` (native-import.cjs): Node caches modules by file, vitest's `import()` would run the
 * bundle through its transform pipeline (seconds per instance), and require(esm) refuses the
 * bundle's top-level await (the INIT secret read, handler.ts).
 */
export async function loadBundleHandler<T = unknown>(): Promise<T> {
  const bundle = handlerBundle();
  instances += 1;
  const copy = join(bundle.dir, `instance-${process.pid}-${instances}.mjs`);
  copyFileSync(bundle.file, copy);
  return ((await nativeImport(pathToFileURL(copy).href)) as { handler: T }).handler;
}
