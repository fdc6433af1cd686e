import { fileURLToPath } from "node:url";
import { type CpuGroup, createCpuGroup, isCpuGroup } from "./cgroup-cpu.ts";
import { runChild } from "./child-process.ts";

const SPIN_CHILD = fileURLToPath(new URL("./spin-child.mjs", import.meta.url));

/**
 * Lambda gives a function CPU in proportion to its memory: one full vCPU at 1,769 MB
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html), so about 14.5 % of a
 * core at 256 MB. INIT runs at full speed; the invoke runs under this share.
 */
export const FULL_VCPU_MEMORY_MB = 1769;

/** The share of one core a function of `memoryMb` gets while it serves a request. */
export function cpuFractionFor(memoryMb: number): number {
  return memoryMb / FULL_VCPU_MEMORY_MB;
}

/** What the spin test measured: a busy loop's CPU time against the wall time it ran. */
export interface SpinTest {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** cpuMs / wallMs: the share of a core the loop got. */
  readonly fraction: number;
}

/** The quota the invokes run under, or why they run without one. */
export type CpuQuota =
  | {
      readonly applied: true;
      /** The share asked for. */
      readonly fraction: number;
      readonly quotaUs: number;
      readonly periodUs: number;
      readonly spin: SpinTest;
      /** A note for the printout, e.g. that the machine was busy during the spin test. */
      readonly note?: string;
      readonly group: CpuGroup;
    }
  | { readonly applied: false; readonly fraction: number; readonly reason: string };

/** How {@link openCpuQuota} may go about it. */
export interface CpuQuotaOptions {
  /** false skips the cgroup entirely (the smoke test, machines without root). */
  readonly enabled: boolean;
  /** Length of the spin test. @default 1000 */
  readonly spinMs?: number;
}

/** A spin test above this multiple of the quota means the quota does not bind. */
const ENFORCED_TOLERANCE = 1.3;

/**
 * Creates the cgroup for a function of `memoryMb` and spin-tests it before trusting it: a child
 * moved into the group busy-loops for `spinMs`, and must get no more than about its share of a
 * core. Any failure (no root, no v1 cpu controller, a quota that does not bind) gives an
 * unapplied quota with the reason, which the bench prints; nothing throws.
 */
export async function openCpuQuota(memoryMb: number, options: CpuQuotaOptions): Promise<CpuQuota> {
  const fraction = cpuFractionFor(memoryMb);
  if (!options.enabled) return { applied: false, fraction, reason: "CPU quota disabled by option" };
  const group = createCpuGroup(fraction, `vault-bench-${process.pid}`);
  if (!isCpuGroup(group)) return { applied: false, fraction, reason: group.reason };
  try {
    const spin = await spinTest(group, options.spinMs ?? 1000);
    if (spin.fraction > fraction * ENFORCED_TOLERANCE) {
      group.remove();
      const got = `${(spin.fraction * 100).toFixed(1)} %`;
      return {
        applied: false,
        fraction,
        reason: `the quota does not bind: the spin test got ${got} of a core, asked ${(fraction * 100).toFixed(1)} %`,
      };
    }
    const busy = spin.fraction < fraction * 0.7;
    return {
      applied: true,
      fraction,
      quotaUs: group.quotaUs,
      periodUs: group.periodUs,
      spin,
      ...(busy && { note: "the spin test got well under its quota: the machine was busy" }),
      group,
    };
  } catch (error) {
    group.remove();
    return { applied: false, fraction, reason: `spin test failed: ${(error as Error).message}` };
  }
}

/** Runs spin-child.mjs inside `group`; it is moved in before it starts to spin. */
async function spinTest(group: CpuGroup, spinMs: number): Promise<SpinTest> {
  const { report } = await runChild<{ wallMs: number; cpuMs: number }>(SPIN_CHILD, [], {
    env: { BENCH_SPIN_MS: String(spinMs) },
    timeoutMs: spinMs + 30_000,
    onEvent: (_name, pid) => {
      group.addProcess(pid);
      process.kill(pid, "SIGUSR2");
    },
  });
  return { wallMs: report.wallMs, cpuMs: report.cpuMs, fraction: report.cpuMs / report.wallMs };
}
