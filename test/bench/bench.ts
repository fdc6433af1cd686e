import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { type Bundle, buildBundles, type Contributor, perVariant, type Variant } from "./build-bundles.ts";
import { childEnvironment, DEFAULT_MEMORY_MB, lambdaNodeFlags } from "./child-environment.ts";
import { type ColdResult, runColdStarts } from "./cold-start.ts";
import { startStubs } from "./stubs.ts";
import { checkTargets, type TargetCheck } from "./targets.ts";
import { runWarm, type WarmResult } from "./warm-run.ts";

const EVENT_FILE = new URL("../events/http-api/iam-create-session.json", import.meta.url);

/** How much to measure; `readBenchConfig` reads it from the environment. */
export interface BenchConfig {
  /** Fresh processes per variant. */
  readonly coldRuns: number;
  /** Unmeasured rounds of cold starts first, to bring the bundles and Node into the page cache. */
  readonly coldWarmupRounds: number;
  /** Measured invocations per warm process. */
  readonly warmInvocations: number;
  readonly warmup: number;
  /** The secret cache's TTL, for all three variants. */
  readonly secretTtlSeconds: number;
  /** Idle time after each warm run before the leak check's heap sample; 0 skips it. */
  readonly settleSeconds: number;
  /** The function's memory size, which sets Lambda's V8 heap flags for every child. */
  readonly memoryMb: number;
}

/** Everything one run measured, as written to results/latest.json. */
export interface BenchResults {
  readonly date: string;
  readonly node: string;
  readonly machine: { cpu: string; cores: number; memoryGb: number; os: string };
  readonly config: BenchConfig;
  readonly variants: Record<
    Variant,
    { bundle: { bytes: number; contributors: readonly Contributor[] }; cold: ColdResult; warm: WarmResult }
  >;
  readonly targets: readonly TargetCheck[];
}

/**
 * The defaults (10 cold starts, 10,000 warm invocations); BENCH_COLD_RUNS,
 * BENCH_COLD_WARMUP_ROUNDS, BENCH_WARM_INVOCATIONS, BENCH_WARMUP, BENCH_SECRET_TTL_SECONDS,
 * BENCH_SETTLE_SECONDS and BENCH_MEMORY_MB override them.
 */
export function readBenchConfig(env: Readonly<Record<string, string | undefined>>): BenchConfig {
  const count = (name: string, fallback: number, min: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number >= ${min}`);
    return value;
  };
  return {
    coldRuns: count("BENCH_COLD_RUNS", 10, 1),
    coldWarmupRounds: count("BENCH_COLD_WARMUP_ROUNDS", 1, 0),
    warmInvocations: count("BENCH_WARM_INVOCATIONS", 10_000, 2),
    warmup: count("BENCH_WARMUP", 200, 0),
    secretTtlSeconds: count("BENCH_SECRET_TTL_SECONDS", 300, 1),
    // Just above the longest timer a request of ours arms: the 29 s request budget (deadline.ts).
    settleSeconds: count("BENCH_SETTLE_SECONDS", 31, 0),
    memoryMb: count("BENCH_MEMORY_MB", DEFAULT_MEMORY_MB, 128),
  };
}

/**
 * Builds the three bundles, starts the loopback stubs, then measures cold starts and warm runs.
 * Children start only after the stubs listen and strictly one at a time; the bundles live in a
 * temporary directory, removed at the end.
 */
export async function runBench(config: BenchConfig): Promise<BenchResults> {
  const outDir = await mkdtemp(join(tmpdir(), "vault-bench-"));
  const stubs = await startStubs();
  try {
    const bundles = await buildBundles(outDir);
    const event: unknown = JSON.parse(await readFile(EVENT_FILE, "utf8"));
    const child = {
      env: childEnvironment(stubs, event, { ...config, scratchDir: outDir }),
      nodeFlags: lambdaNodeFlags(config.memoryMb),
    };
    const cold = await runColdStarts(bundles, stubs, child, config);
    const warm = await runWarm(bundles, stubs, child, { ...config, invocations: config.warmInvocations });
    const variants = perVariant((v) => ({ bundle: bundleSummary(bundles, v), cold: cold[v], warm: warm[v] }));
    return {
      date: new Date().toISOString(),
      node: process.version,
      machine: machine(),
      config,
      variants,
      targets: checkTargets(variants),
    };
  } finally {
    await stubs.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

function bundleSummary(bundles: readonly Bundle[], variant: Variant) {
  const bundle = bundles.find((b) => b.variant === variant) as Bundle;
  return { bytes: bundle.bytes, contributors: bundle.contributors.slice(0, 12) };
}

/** The machine, as the issue asks: first CPU's model, core count, memory. */
function machine(): BenchResults["machine"] {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? "unknown",
    cores: all.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
  };
}
