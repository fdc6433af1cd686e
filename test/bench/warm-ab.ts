import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { EVENT_FILE } from "./bench.ts";
import { buildClientBundle } from "./build-bundles.ts";
import { childEnvironment, DEFAULT_MEMORY_MB, lambdaNodeFlags } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import { ratio } from "./stats.ts";
import { startStubs } from "./stubs.ts";

// `npm run bench:ab -- <git ref>`: did a change make the warm path faster? Builds our handler
// twice with the stack's esbuild options, from <git ref> (A, checked out in a temporary git
// worktree) and from this working tree (B), and runs both in one warm process against the loopback
// stubs, invocations taking turns with the limit handler's client (warm-ab-child.mjs). Differences
// of a few hundredths in "÷ client" are noise: read the rounds together. BENCH_AB_INVOCATIONS
// (3000) and BENCH_AB_ROUNDS (3) set the counts.

const CHILD = fileURLToPath(new URL("./warm-ab-child.mjs", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const [ref, ...rest] = process.argv.slice(2);
if (ref === undefined || rest.length > 0) {
  console.error("usage: npm run bench:ab -- <git ref to compare this working tree with>");
  process.exit(2);
}
const count = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
};
const invocations = count("BENCH_AB_INVOCATIONS", 3000);
const rounds = count("BENCH_AB_ROUNDS", 3);

const scratch = await mkdtemp(join(tmpdir(), "vault-bench-ab-"));
const baseTree = join(scratch, "tree");
const git = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, stdio: "pipe" });
// Stopped by Ctrl-C or a timeout's SIGTERM: clean up as on a normal end, then exit.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}
let stubs: Awaited<ReturnType<typeof startStubs>> | undefined;
try {
  git("worktree", "add", "--detach", baseTree, ref);
  const live = await startStubs();
  stubs = live;
  // The base tree bundles against this tree's packages, so only the source differs.
  await symlink(join(repoRoot, "node_modules"), join(baseTree, "node_modules"), "dir");
  const [aUrl, bUrl, clientUrl] = await Promise.all([
    bundleOf(baseTree, join(scratch, "a")),
    bundleOf(repoRoot, join(scratch, "b")),
    buildClientBundle(scratch),
  ]);
  const event: unknown = JSON.parse(await readFile(EVENT_FILE, "utf8"));
  const env = childEnvironment(live, event, {
    secretTtlSeconds: 300,
    memoryMb: DEFAULT_MEMORY_MB,
    scratchDir: scratch,
  });
  console.log(`A = ${ref}, B = this working tree; ${invocations} invocations each per round; medians`);
  console.log("round   A (ms)   B (ms)   client (ms)   A ÷ client   B ÷ client   B ÷ A");
  for (let round = 1; round <= rounds; round++) {
    const { report } = await runChild<{ aMs: number; bMs: number; clientMs: number }>(
      CHILD,
      [aUrl, bUrl, clientUrl],
      {
        env: { ...env, BENCH_AB_INVOCATIONS: String(invocations), BENCH_WARMUP: "300" },
        nodeFlags: lambdaNodeFlags(DEFAULT_MEMORY_MB),
        timeoutMs: 30 * 60_000,
      },
    );
    const cells = [
      String(round).padStart(5),
      report.aMs.toFixed(3).padStart(8),
      report.bMs.toFixed(3).padStart(8),
      report.clientMs.toFixed(3).padStart(13),
      ratio(report.aMs, report.clientMs).toFixed(3).padStart(12),
      ratio(report.bMs, report.clientMs).toFixed(3).padStart(12),
      ratio(report.bMs, report.aMs).toFixed(3).padStart(7),
    ];
    console.log(cells.join(" "));
    live.apideck.reset();
  }
} finally {
  await cleanUp();
}

/** Stops the stubs and removes the base tree's worktree and the scratch folder, whatever failed. */
async function cleanUp(): Promise<void> {
  await stubs?.close().catch(() => {});
  stubs = undefined;
  try {
    git("worktree", "remove", "--force", baseTree);
  } catch {
    // Not added, or already gone: removing the folder below and pruning forgets it either way.
  }
  await rm(scratch, { recursive: true, force: true });
  try {
    git("worktree", "prune");
  } catch {
    // Nothing to prune.
  }
}

/** The handler of the tree at `root`, built with that tree's own bundling options. */
async function bundleOf(root: string, outDir: string): Promise<string> {
  const options = await import(pathToFileURL(join(root, "infra/bundling-options.ts")).href);
  const file = join(outDir, "index.mjs");
  await build({ ...options.handlerEsbuildOptions(file), logLevel: "warning" });
  return pathToFileURL(file).href;
}
