import { fileURLToPath } from "node:url";
import { type Bundle, perVariant, type Variant } from "./build-bundles.ts";
import type { ChildSetup } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import { type Summary, summarize } from "./stats.ts";
import type { Stubs } from "./stubs.ts";

const CHILD = fileURLToPath(new URL("./cold-start-child.mjs", import.meta.url));

/** What one fresh process measured (cold-start-child.mjs), plus what the parent saw. */
export interface ColdRun {
  /** The child's `process.version`: the project's Node 24, as Lambda's runtime. */
  readonly node: string;
  /** Node's own start-up until the child script ran; the same for every variant. */
  readonly bootMs: number;
  /** `await import(bundle)`: parsing and running the module scope. */
  readonly importMs: number;
  /** The first `handler(event, context)`: secret read, upstream call, response. */
  readonly firstRequestMs: number;
  /** CPU time (all threads) of the import: steadier than wall time on a busy machine. */
  readonly importCpuMs: number;
  readonly firstRequestCpuMs: number;
  /** `process.resourceUsage().maxRSS` after the first request. */
  readonly peakRssMb: number;
  readonly statusCode: number;
  /** From spawn to exit. */
  readonly processMs: number;
  /** GetSecretValue requests the stub received from this process. */
  readonly secretReads: number;
}

/**
 * Variants whose INIT starts the secret read where Lambda runs them (`AWS_LAMBDA_INITIALIZATION_TYPE`
 * set, as in every child): their import holds a network round trip the others make on their first
 * request. Each round starts them once more without it, to compare imports that do no I/O.
 */
export const READS_SECRET_IN_INIT: readonly Variant[] = ["ours"];

/** A variant's cold starts and their summaries. */
export interface ColdResult {
  readonly runs: readonly ColdRun[];
  /**
   * The extra cold starts with the INIT secret read off (the secret is read on the first request),
   * for the variants in READS_SECRET_IN_INIT; empty for the others, whose `runs` already are that.
   */
  readonly runsWithoutInitRead: readonly ColdRun[];
  /** The import with no INIT secret read: from `runsWithoutInitRead` where there are any. */
  readonly importWithoutInitReadMs: Summary;
  readonly importWithoutInitReadCpuMs: Summary;
  readonly importMs: Summary;
  readonly firstRequestMs: Summary;
  readonly importCpuMs: Summary;
  readonly firstRequestCpuMs: Summary;
  readonly peakRssMb: Summary;
  readonly processMs: Summary;
}

/**
 * Starts `coldRuns` fresh processes per variant, one at a time so they do not compete, taking the
 * variants in turn (ours, floor, peer, ours, ...) so that a noisy spell on the machine hits all
 * three alike. `coldWarmupRounds` unmeasured rounds first bring the bundles and Node into the
 * page cache, as on a Lambda host that has started the function before.
 */
export async function runColdStarts(
  bundles: readonly Bundle[],
  stubs: Stubs,
  child: ChildSetup,
  { coldRuns, coldWarmupRounds }: { coldRuns: number; coldWarmupRounds: number },
): Promise<Record<Variant, ColdResult>> {
  const byVariant = new Map<Variant, ColdRun[]>(bundles.map((b) => [b.variant, []]));
  const withoutInitRead = new Map<Variant, ColdRun[]>(bundles.map((b) => [b.variant, []]));
  const noInitRead = withoutInitReadSetup(child);
  for (let round = -coldWarmupRounds; round < coldRuns; round++) {
    for (const bundle of bundles) {
      const run = await coldStart(bundle, stubs, child);
      if (round >= 0) byVariant.get(bundle.variant)?.push(run);
      if (!READS_SECRET_IN_INIT.includes(bundle.variant)) continue;
      const plain = await coldStart(bundle, stubs, noInitRead);
      if (round >= 0) withoutInitRead.get(bundle.variant)?.push(plain);
    }
  }
  return perVariant((variant) => {
    const list = byVariant.get(variant) ?? [];
    const extra = withoutInitRead.get(variant) ?? [];
    const plainImports = extra.length > 0 ? extra : list;
    return {
      runs: list,
      runsWithoutInitRead: extra,
      importWithoutInitReadMs: summarize(plainImports.map((r) => r.importMs)),
      importWithoutInitReadCpuMs: summarize(plainImports.map((r) => r.importCpuMs)),
      importMs: summarize(list.map((r) => r.importMs)),
      firstRequestMs: summarize(list.map((r) => r.firstRequestMs)),
      importCpuMs: summarize(list.map((r) => r.importCpuMs)),
      firstRequestCpuMs: summarize(list.map((r) => r.firstRequestCpuMs)),
      peakRssMb: summarize(list.map((r) => r.peakRssMb)),
      processMs: summarize(list.map((r) => r.processMs)),
    };
  });
}

/** The same children without the variable by which the handler knows it runs in Lambda. */
function withoutInitReadSetup(child: ChildSetup): ChildSetup {
  const { AWS_LAMBDA_INITIALIZATION_TYPE: _initType, ...env } = child.env;
  return { ...child, env };
}

/** One child process; a first request that did not succeed measured nothing, so it stops the bench. */
async function coldStart(bundle: Bundle, stubs: Stubs, child: ChildSetup): Promise<ColdRun> {
  const readsBefore = stubs.secrets.getSecretValueCalls;
  const { report, processMs } = await runChild<
    Omit<ColdRun, "processMs" | "secretReads"> & { bench: "cold" }
  >(CHILD, [bundle.url], { ...child, timeoutMs: 60_000 });
  // The simulator keeps every request; the bench does not need them.
  stubs.apideck.reset();
  if (report.statusCode !== 200) {
    throw new Error(`${bundle.variant}: the first request answered ${report.statusCode}, not 200`);
  }
  const { bench: _kind, ...measured } = report;
  return { ...measured, processMs, secretReads: stubs.secrets.getSecretValueCalls - readsBefore };
}
