import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Bundle, Variant } from "./build-bundles.ts";
import type { ChildSetup } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import { type Summary, summarize } from "./stats.ts";
import type { Stubs } from "./stubs.ts";

const CHILD = fileURLToPath(new URL("./cold-start-child.mjs", import.meta.url));
const STRETCH_TIMERS = new URL("./stretch-timers.mjs", import.meta.url).href;

/** Valgrind makes a process about 30 to 60 times slower; timers are stretched by this much. */
const TIMER_STRETCH = 100;

/** A variant's instruction counts: boot + import + first request, whole process, every thread. */
export interface InstructionResult {
  /** Instructions per run, in the order measured. */
  readonly runs: readonly number[];
  readonly instructions: Summary;
}

/** Whether valgrind could count, and what it counted per variant (absent: not measured). */
export interface InstructionCounts {
  readonly tool: string;
  /** Why nothing was counted (no valgrind, switched off); undefined when counted. */
  readonly skipped?: string;
  readonly variants: Partial<Record<Variant, InstructionResult>>;
}

/** Options of {@link countInstructions}. */
export interface InstructionOptions {
  /** Runs per variant; 0 skips the count. */
  readonly runs: number;
  /** Which variants to count (the peer's 2.6 MB bundle takes minutes under valgrind). */
  readonly variants: readonly Variant[];
}

/**
 * Counts the instructions of one cold start (Node's boot, the import, the first request, and the
 * exit right after the answer) per variant with `valgrind --tool=callgrind`: unlike CPU time, the
 * count barely moves with what else the machine runs. Variants take turns, one process at a time.
 * Under valgrind every timer is stretched (stretch-timers.mjs), so the SDK's and our timeouts,
 * meant for real time, do not fire in the slowed process; the Lambda context gets the same room.
 */
export async function countInstructions(
  bundles: readonly Bundle[],
  stubs: Stubs,
  child: ChildSetup,
  options: InstructionOptions,
): Promise<InstructionCounts> {
  const tool = "valgrind --tool=callgrind";
  if (options.runs === 0 || options.variants.length === 0) {
    return { tool, skipped: "switched off by option", variants: {} };
  }
  const version = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
  if (version.status !== 0) return { tool, skipped: "valgrind is not installed", variants: {} };
  const counted = bundles.filter((b) => options.variants.includes(b.variant));
  const runs = new Map<Variant, number[]>(counted.map((b) => [b.variant, []]));
  for (let round = 0; round < options.runs; round++) {
    for (const bundle of counted) runs.get(bundle.variant)?.push(await countOnce(bundle, stubs, child));
  }
  const variants: Partial<Record<Variant, InstructionResult>> = {};
  for (const [variant, list] of runs) variants[variant] = { runs: list, instructions: summarize(list) };
  return { tool: `${tool} (${version.stdout.trim()})`, variants };
}

async function countOnce(bundle: Bundle, stubs: Stubs, child: ChildSetup): Promise<number> {
  const { report, stderrTail } = await runChild<{ statusCode: number }>(CHILD, [bundle.url], {
    env: {
      ...child.env,
      BENCH_TIMER_STRETCH: String(TIMER_STRETCH),
      BENCH_CONTEXT_TIMEOUT_MS: String(30_000 * TIMER_STRETCH),
    },
    nodeFlags: [...child.nodeFlags, "--import", STRETCH_TIMERS],
    // callgrind's default --smc-check (all-non-file on x86-64) sees V8's freshly written JIT code.
    wrapper: ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"],
    timeoutMs: 15 * 60_000,
  });
  stubs.apideck.reset();
  if (report.statusCode !== 200) {
    throw new Error(`${bundle.variant} under valgrind: the first request answered ${report.statusCode}`);
  }
  const collected = /Collected\s*:\s*(\d+)/.exec(stderrTail);
  if (collected === null) throw new Error(`${bundle.variant}: no instruction count in valgrind's output`);
  return Number(collected[1]);
}
