import { fileURLToPath } from "node:url";
import { type Bundle, perVariant, type Variant } from "./build-bundles.ts";
import type { ChildSetup } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import type { CpuQuota } from "./cpu-quota.ts";
import { type Summary, summarize } from "./stats.ts";
import type { Stubs } from "./stubs.ts";

const CHILD = fileURLToPath(new URL("./lambda-model-child.mjs", import.meta.url));

/** One cold start in the model (lambda-model-child.mjs), plus what the parent counted. */
export interface LambdaRun {
  /** Node's start-up and the import, at full CPU: Lambda's INIT duration. */
  readonly initMs: number;
  readonly initCpuMs: number;
  /** The first invoke, under the CPU quota when one is applied. */
  readonly firstRequestMs: number;
  readonly firstRequestCpuMs: number;
  readonly statusCode: number;
  readonly peakRssMb: number;
  /** CFS periods in which the invoke ran out of quota; NaN without a quota. */
  readonly throttledPeriods: number;
  /** GetSecretValue requests the stub received from this process. */
  readonly secretReads: number;
}

/** A variant's model cold starts, summarised. */
export interface LambdaResult {
  readonly runs: readonly LambdaRun[];
  readonly initMs: Summary;
  readonly firstRequestMs: Summary;
  /** INIT + first request of the same run: what the first caller waits for. */
  readonly totalMs: Summary;
  readonly initCpuMs: Summary;
  readonly firstRequestCpuMs: Summary;
}

/** Options of {@link runLambdaModel}. */
export interface LambdaModelOptions {
  readonly runs: number;
  /** Unmeasured rounds first (page cache), as for the plain cold starts. */
  readonly warmupRounds: number;
  readonly quota: CpuQuota;
}

/**
 * Cold starts the way Lambda runs them: each variant's bundle in a fresh process whose INIT runs
 * at full speed and whose first invoke runs under the CPU quota (moved into the cgroup between
 * the two), against the stubs behind the model's network (`child.env` points at its proxies).
 * Variants take turns (ours, floor, peer, limit, ours, ...) so that a noisy spell hits them
 * alike; one process at a time.
 */
export async function runLambdaModel(
  bundles: readonly Bundle[],
  stubs: Stubs,
  child: ChildSetup,
  options: LambdaModelOptions,
): Promise<Record<Variant, LambdaResult>> {
  const byVariant = new Map<Variant, LambdaRun[]>(bundles.map((b) => [b.variant, []]));
  for (let round = -options.warmupRounds; round < options.runs; round++) {
    for (const bundle of bundles) {
      const run = await modelColdStart(bundle, stubs, child, options.quota);
      if (round >= 0) byVariant.get(bundle.variant)?.push(run);
    }
  }
  const results = perVariant((variant) => {
    const runs = byVariant.get(variant) ?? [];
    return {
      runs,
      initMs: summarize(runs.map((r) => r.initMs)),
      firstRequestMs: summarize(runs.map((r) => r.firstRequestMs)),
      totalMs: summarize(runs.map((r) => r.initMs + r.firstRequestMs)),
      initCpuMs: summarize(runs.map((r) => r.initCpuMs)),
      firstRequestCpuMs: summarize(runs.map((r) => r.firstRequestCpuMs)),
    };
  });
  return results;
}

/** One fresh process; it is moved under the quota when it reports INIT done, then told to invoke. */
async function modelColdStart(
  bundle: Bundle,
  stubs: Stubs,
  child: ChildSetup,
  quota: CpuQuota,
): Promise<LambdaRun> {
  const readsBefore = stubs.secrets.getSecretValueCalls;
  const throttledBefore = quota.applied ? quota.group.throttledPeriods() : Number.NaN;
  const { report } = await runChild<Omit<LambdaRun, "throttledPeriods" | "secretReads">>(
    CHILD,
    [bundle.url],
    {
      ...child,
      timeoutMs: 120_000,
      onEvent: (_name, pid) => {
        if (quota.applied) quota.group.addProcess(pid);
        process.kill(pid, "SIGUSR2");
      },
    },
  );
  stubs.apideck.reset();
  if (report.statusCode !== 200) {
    throw new Error(`${bundle.variant}: the first request answered ${report.statusCode}, not 200`);
  }
  return {
    initMs: report.initMs,
    initCpuMs: report.initCpuMs,
    firstRequestMs: report.firstRequestMs,
    firstRequestCpuMs: report.firstRequestCpuMs,
    statusCode: report.statusCode,
    peakRssMb: report.peakRssMb,
    throttledPeriods: quota.applied ? quota.group.throttledPeriods() - throttledBefore : Number.NaN,
    secretReads: stubs.secrets.getSecretValueCalls - readsBefore,
  };
}
