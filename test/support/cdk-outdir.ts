import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

// Set up before every test file (vitest.config.ts `setupFiles`). A CDK App built without `outdir`
// synthesizes into a new `cdk.out*` folder in the system temp directory, and nothing removes it:
// `npm test` used to leave about 60 behind. Every such App of one test file shares this folder
// instead (`CDK_OUTDIR` is the App's default), and it goes when the file is done. One per file,
// not per run: files run in parallel workers, and Apps with the same stack name would overwrite
// each other's templates.
const outdir = join(tmpdir(), `cdk.out-vitest-${randomUUID()}`);
process.env.CDK_OUTDIR = outdir;

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});
