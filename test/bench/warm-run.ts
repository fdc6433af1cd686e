import { fileURLToPath } from "node:url";
import type { Bundle, Variant } from "./build-bundles.ts";
import type { ChildSetup } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import { ratio, type Summary, summarize } from "./stats.ts";
import type { Stubs } from "./stubs.ts";

const CHILD = fileURLToPath(new URL("./warm-run-child.mjs", import.meta.url));

/** One memory sample of the warm child, taken after a forced full GC. */
export interface MemorySample {
  /** Invocations done when it was taken. */
  readonly done: number;
  readonly heapUsedMb: number;
  readonly rssMb: number;
}

/** What warm-run-child.mjs reports. */
interface WarmReport {
  readonly durationMs: number;
  readonly handlerMs: number[];
  readonly clientMs: number[];
  readonly failures: number;
  readonly firstFailure?: { statusCode?: number; body: string };
  readonly memory: MemorySample[];
  readonly settled?: MemorySample;
  readonly peakRssFirstHalfMb: number;
  readonly peakRssMb: number;
}

/** A variant's warm run, summarised. */
export interface WarmResult {
  readonly invocations: number;
  readonly durationMs: number;
  /** Latency of `handler(event, context)`. */
  readonly handlerMs: Summary;
  /** Latency of the same request made with the limit handler's client, in the same process. */
  readonly clientMs: Summary;
  /** handler p50 / that client's p50: what the handler adds on the warm path. */
  readonly p50VsClient: number;
  readonly peakRssMb: number;
  /** Peak RSS at the end less peak RSS at half way. */
  readonly rssGrowthMb: number;
  /** Heap after GC at the end less heap after GC at half way, per invocation of the second half. */
  readonly heapGrowthBytesPerInvocation: number;
  readonly memory: readonly MemorySample[];
  /**
   * Heap after GC once the process sat idle longer than any timer a request arms, less the heap
   * after warm-up: a leak shows here, state held by pending timers does not. NaN when not measured.
   */
  readonly heapRetainedAfterIdleMb: number;
  /** GetSecretValue requests the stub received from this one process. */
  readonly secretReads: number;
  /** What one read per instance per TTL allows for this run's length. */
  readonly expectedSecretReads: { readonly min: number; readonly max: number };
}

/** Options of {@link runWarm}. */
export interface WarmOptions {
  readonly invocations: number;
  /** Unmeasured invocations first: JIT, connection pools and the secret cache settle. */
  readonly warmup: number;
  readonly secretTtlSeconds: number;
  /** Idle time after the run before the last heap sample; 0 skips it. */
  readonly settleSeconds: number;
  /** The limit handler's client, bundled on its own (`buildClientBundle`), as a file URL. */
  readonly clientUrl: string;
}

/**
 * Runs one long-lived child per variant, one after the other (never side by side: they would share
 * the two cores and the stub), each serving `invocations` requests back to back as a warm Lambda
 * instance does, one at a time.
 */
export async function runWarm(
  bundles: readonly Bundle[],
  stubs: Stubs,
  child: ChildSetup,
  options: WarmOptions,
): Promise<Record<Variant, WarmResult>> {
  const results: Partial<Record<Variant, WarmResult>> = {};
  for (const bundle of bundles) results[bundle.variant] = await warmRun(bundle, stubs, child, options);
  return results as Record<Variant, WarmResult>;
}

async function warmRun(bundle: Bundle, stubs: Stubs, child: ChildSetup, options: WarmOptions) {
  const readsBefore = stubs.secrets.getSecretValueCalls;
  const { report, processMs } = await runChild<WarmReport>(CHILD, [bundle.url, options.clientUrl], {
    env: {
      ...child.env,
      BENCH_WARM_INVOCATIONS: String(options.invocations),
      BENCH_WARMUP: String(options.warmup),
      BENCH_SETTLE_MS: String(options.settleSeconds * 1000),
    },
    // Lambda's flags include --expose-gc, which the child uses to collect before each memory sample.
    nodeFlags: child.nodeFlags,
    timeoutMs: 30 * 60_000,
  });
  stubs.apideck.reset();
  if (report.failures > 0) {
    const first = JSON.stringify(report.firstFailure);
    throw new Error(
      `${bundle.variant}: ${report.failures} of ${options.invocations} warm invocations failed: ${first}`,
    );
  }
  const handlerMs = summarize(report.handlerMs);
  const clientMs = summarize(report.clientMs);
  const half = options.invocations / 2;
  const middle = report.memory.reduce((best, s) =>
    Math.abs(s.done - half) < Math.abs(best.done - half) ? s : best,
  );
  const last = report.memory.at(-1) ?? middle;
  const ttlMs = options.secretTtlSeconds * 1000;
  const result: WarmResult = {
    invocations: options.invocations,
    durationMs: report.durationMs,
    handlerMs,
    clientMs,
    p50VsClient: ratio(handlerMs.median, clientMs.median),
    peakRssMb: report.peakRssMb,
    rssGrowthMb: report.peakRssMb - report.peakRssFirstHalfMb,
    heapGrowthBytesPerInvocation:
      ((last.heapUsedMb - middle.heapUsedMb) * 2 ** 20) / Math.max(1, last.done - middle.done),
    memory: report.memory,
    heapRetainedAfterIdleMb: report.settled
      ? report.settled.heapUsedMb - (report.memory[0]?.heapUsedMb ?? Number.NaN)
      : Number.NaN,
    secretReads: stubs.secrets.getSecretValueCalls - readsBefore,
    // Reads are at least a TTL apart, so at most one per TTL started in the process's life; and the
    // requests never stop, so at least one per whole TTL the measured run lasted.
    expectedSecretReads: {
      min: Math.max(1, Math.floor(report.durationMs / ttlMs)),
      max: Math.floor(processMs / ttlMs) + 1,
    },
  };
  return result;
}
