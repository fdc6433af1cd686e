import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { QuotaRecord, VariantResults } from "./bench-types.ts";
import {
  type Bundle,
  buildBundles,
  buildClientBundle,
  perVariant,
  VARIANTS,
  type Variant,
} from "./build-bundles.ts";
import { childEnvironment, DEFAULT_MEMORY_MB, lambdaNodeFlags } from "./child-environment.ts";
import { runColdStarts } from "./cold-start.ts";
import { type CpuQuota, openCpuQuota } from "./cpu-quota.ts";
import { countInstructions } from "./instructions.ts";
import { runLambdaModel } from "./lambda-model.ts";
import {
  type NetworkLatency,
  type NetworkRecord,
  NO_LATENCY,
  openStubNetwork,
  type StubNetwork,
} from "./stub-network.ts";
import { startStubs } from "./stubs.ts";
import { checkTargets, type TargetCheck } from "./targets.ts";
import { runWarm } from "./warm-run.ts";

/** The HTTP API event every child serves: an IAM-route Create Session request. */
export const EVENT_FILE = new URL("../events/http-api/iam-create-session.json", import.meta.url);

/** How much to measure; `readBenchConfig` reads it from the environment. */
export interface BenchConfig {
  /** Fresh processes per variant. */
  readonly coldRuns: number;
  /** Unmeasured rounds of cold starts first, to bring the bundles and Node into the page cache. */
  readonly coldWarmupRounds: number;
  /** Measured invocations per warm process. */
  readonly warmInvocations: number;
  readonly warmup: number;
  /** The secret cache's TTL, for every variant. */
  readonly secretTtlSeconds: number;
  /** Idle time after each warm run before the leak check's heap sample; 0 skips it. */
  readonly settleSeconds: number;
  /** The function's memory size: Lambda's V8 heap flags for every child, and the model's CPU share. */
  readonly memoryMb: number;
  /** Fresh processes per variant in the Lambda model (INIT at full CPU, invoke under the quota). */
  readonly lambdaRuns: number;
  /** false runs the model's invokes without a CPU quota (no root needed; the smoke test). */
  readonly cpuQuota: boolean;
  /** What the model's network adds: per Secrets Manager call, per Apideck round trip, per new connection. */
  readonly secretsLatencyMs: number;
  readonly apideckLatencyMs: number;
  readonly connectMs: number;
  /** valgrind runs per counted variant; 0 skips the count (no valgrind needed). */
  readonly instructionRuns: number;
  readonly instructionVariants: readonly Variant[];
}

/** Everything one run measured, as written to results/latest.json. */
export interface BenchResults {
  readonly date: string;
  readonly node: string;
  readonly machine: { cpu: string; cores: number; memoryGb: number; os: string };
  readonly config: BenchConfig;
  readonly quota: QuotaRecord;
  readonly latency: NetworkLatency;
  /** Whether the proxies (HTTPS, and the model's latency) were in front of the stubs. */
  readonly network: NetworkRecord;
  /** The counting tool, or why nothing was counted. */
  readonly instructions: { readonly tool: string; readonly skipped?: string };
  readonly variants: Record<Variant, VariantResults>;
  readonly targets: readonly TargetCheck[];
}

/**
 * The defaults (10 cold starts and 10 model cold starts per variant, 10,000 warm invocations, 2
 * valgrind counts of ours, the floor and the limit, 256 MB, +30 ms per Secrets Manager call and
 * +80 ms per Apideck round trip); BENCH_COLD_RUNS, BENCH_COLD_WARMUP_ROUNDS, BENCH_WARM_INVOCATIONS,
 * BENCH_WARMUP, BENCH_SECRET_TTL_SECONDS, BENCH_SETTLE_SECONDS, BENCH_MEMORY_MB, BENCH_LAMBDA_RUNS,
 * BENCH_CPU_QUOTA (on/off), BENCH_SECRETS_LATENCY_MS, BENCH_APIDECK_LATENCY_MS, BENCH_CONNECT_MS,
 * BENCH_INSTRUCTION_RUNS and BENCH_INSTRUCTION_VARIANTS (comma-separated) override them.
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
    lambdaRuns: count("BENCH_LAMBDA_RUNS", 10, 1),
    cpuQuota: onOff("BENCH_CPU_QUOTA", env.BENCH_CPU_QUOTA ?? "on"),
    secretsLatencyMs: count("BENCH_SECRETS_LATENCY_MS", 30, 0),
    apideckLatencyMs: count("BENCH_APIDECK_LATENCY_MS", 80, 0),
    connectMs: count("BENCH_CONNECT_MS", 0, 0),
    instructionRuns: count("BENCH_INSTRUCTION_RUNS", 2, 0),
    instructionVariants: variantList(env.BENCH_INSTRUCTION_VARIANTS ?? "ours,floor,limit"),
  };
}

function onOff(name: string, value: string): boolean {
  if (value !== "on" && value !== "off") throw new Error(`${name} must be on or off`);
  return value === "on";
}

function variantList(value: string): Variant[] {
  const names = value.split(",").filter((name) => name !== "");
  const unknown = names.filter((name) => !(VARIANTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_INSTRUCTION_VARIANTS: unknown ${unknown.join(", ")}`);
  return names as Variant[];
}

/**
 * Builds the four bundles, starts the loopback stubs, then measures, variants taking turns in each
 * part: cold starts at full CPU, cold starts in the Lambda model (under the CPU quota, which is
 * spin-tested first and removed at the end), instruction counts, warm runs. Children start only
 * after the stubs listen and strictly one at a time; the bundles live in a temporary directory,
 * removed at the end. `log` hears what the bench is doing (the quota's fate included).
 */
export async function runBench(
  config: BenchConfig,
  log: (line: string) => void = () => {},
): Promise<BenchResults> {
  const outDir = await mkdtemp(join(tmpdir(), "vault-bench-"));
  const stubs = await startStubs();
  const networks: StubNetwork[] = [];
  let quota: CpuQuota | undefined;
  try {
    const [bundles, clientUrl] = await Promise.all([buildBundles(outDir), buildClientBundle(outDir)]);
    const event: unknown = JSON.parse(await readFile(EVENT_FILE, "utf8"));
    const direct = {
      env: childEnvironment(stubs, event, { ...config, scratchDir: outDir }),
      nodeFlags: lambdaNodeFlags(config.memoryMb),
    };
    // Cold starts and instruction counts speak HTTPS, as in Lambda, without added latency; the
    // model's cold starts go through the same proxies with its latency switched on.
    const network = await openStubNetwork(stubs, NO_LATENCY, join(outDir, "network"));
    networks.push(network);
    const overTls = { ...direct, env: { ...direct.env, ...network.env } };
    log("cold starts at full CPU");
    const cold = await runColdStarts(bundles, stubs, overTls, config);
    quota = await openCpuQuota(config.memoryMb, { enabled: config.cpuQuota });
    log(describeQuota(quota));
    const latency: NetworkLatency = {
      secretsManager: { responseMs: config.secretsLatencyMs, connectMs: config.connectMs },
      apideck: { responseMs: config.apideckLatencyMs, connectMs: config.connectMs },
    };
    network.setLatency(latency);
    const lambda = await runLambdaModel(bundles, stubs, overTls, {
      runs: config.lambdaRuns,
      warmupRounds: config.coldWarmupRounds,
      quota,
    });
    network.setLatency(NO_LATENCY);
    log("instruction counts");
    const counted = await countInstructions(bundles, stubs, overTls, {
      runs: config.instructionRuns,
      variants: config.instructionVariants,
    });
    // Warm runs go straight to the stubs: a relay on every request would blur what is measured.
    log("warm runs");
    const warm = await runWarm(bundles, stubs, direct, {
      ...config,
      invocations: config.warmInvocations,
      clientUrl,
    });
    const variants = perVariant((v) => ({
      bundle: bundleSummary(bundles, v),
      cold: cold[v],
      lambda: lambda[v],
      ...(counted.variants[v] && { instructions: counted.variants[v] }),
      warm: warm[v],
    }));
    const quotaRecord = recordOf(quota);
    return {
      date: new Date().toISOString(),
      node: process.version,
      machine: machine(),
      config,
      quota: quotaRecord,
      latency,
      network: network.record,
      instructions: { tool: counted.tool, ...(counted.skipped && { skipped: counted.skipped }) },
      variants,
      targets: checkTargets(variants, quotaRecord, network.record),
    };
  } finally {
    if (quota?.applied) quota.group.remove();
    await Promise.all(networks.map((network) => network.close()));
    await stubs.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The quota without its live cgroup, for the results file. */
function recordOf(quota: CpuQuota): QuotaRecord {
  if (!quota.applied) return quota;
  const { group: _group, ...record } = quota;
  return record;
}

/** One line on the model's CPU: the quota and its spin test, or why there is none. */
export function describeQuota(quota: QuotaRecord): string {
  const share = `${(quota.fraction * 100).toFixed(1)} % of a core`;
  if (!quota.applied)
    return `no CPU quota (${quota.reason}): the model's invokes run at full speed, not at ${share}`;
  const spin = `spin test ${(quota.spin.fraction * 100).toFixed(1)} % over ${Math.round(quota.spin.wallMs)} ms`;
  return `CPU quota ${share} (cgroup v1 cpu, ${quota.quotaUs} µs per ${quota.periodUs} µs; ${spin})${quota.note ? `; ${quota.note}` : ""}`;
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
