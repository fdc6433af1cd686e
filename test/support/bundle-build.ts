import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { handlerEsbuildOptions } from "../../infra/bundling-options.ts";

/** The function's deployment artifact as the tests use it: `index.mjs` in a directory of its own. */
export interface HandlerBundle {
  /** The directory holding `index.mjs` (Lambda's `LAMBDA_TASK_ROOT`). */
  readonly dir: string;
  readonly file: string;
  /** `file` as a file URL, for `import()`. */
  readonly url: string;
}

/**
 * Builds `lambda/handler.ts` into `index.mjs` with exactly the options the stack ships
 * (`handlerEsbuildOptions`, the esbuild form of `HANDLER_BUNDLING`: minified ESM, AWS SDK inside),
 * in a new temporary directory with no node_modules above it, as in Lambda.
 */
export async function buildHandlerBundle(): Promise<HandlerBundle & { remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "broker-handler-"));
  const file = join(dir, "index.mjs");
  await build({ ...handlerEsbuildOptions(file), logLevel: "warning" });
  return {
    dir,
    file,
    url: pathToFileURL(file).href,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
