import type { TestProject } from "vitest/node";
import { buildHandlerBundle } from "./support/bundle-build.ts";

/**
 * Builds the function's bundle once per test run, with the stack's own esbuild options, for the
 * suites that test what ships (handler-bundle.ts); the temporary directory goes afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bundle = await buildHandlerBundle();
  project.provide("handlerBundle", { dir: bundle.dir, file: bundle.file, url: bundle.url });
  return () => bundle.remove();
}
