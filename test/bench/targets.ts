import type { Variant } from "./build-bundles.ts";
import type { ColdResult } from "./cold-start.ts";
import { ratio } from "./stats.ts";
import type { WarmResult } from "./warm-run.ts";

/** The measurements the targets read, per variant. */
export type Measured = Record<Variant, { readonly cold: ColdResult; readonly warm: WarmResult }>;

/** One target of issue #5, checked against this run. */
export interface TargetCheck {
  readonly id: string;
  /** What is compared, for the table: e.g. "cold import ÷ floor". */
  readonly label: string;
  readonly value: number;
  /** The bound `value` must not exceed. */
  readonly limit: number;
  readonly met: boolean;
  /** The floor's figure for the same measure, where that helps to read ours. */
  readonly floor?: number;
}

/**
 * A leak of one small object per request shows up as at least ~100 bytes of heap per invocation;
 * below that, a difference between two post-GC samples is measurement noise, not a trend.
 */
export const HEAP_GROWTH_LIMIT_BYTES = 100;

/**
 * Checks issue #5's targets on our handler: cold import against the floor and the peer (medians),
 * warm p50 against the raw fetch in the same process, peak RSS in the cold starts and in the warm
 * run (with the floor's beside it: Node's own fetch and heap sizing count too), heap growth over
 * the second half of the warm run, and one secret read per instance per TTL.
 */
export function checkTargets(m: Measured): TargetCheck[] {
  const { ours, floor, peer } = m;
  const coldReadsOff = ours.cold.runs.filter((run) => run.secretReads !== 1).length;
  const { min, max } = ours.warm.expectedSecretReads;
  const warmReadsOk = ours.warm.secretReads >= min && ours.warm.secretReads <= max;
  const checks: Omit<TargetCheck, "met">[] = [
    {
      id: "coldImportVsFloor",
      label: "cold import ÷ floor",
      value: ratio(ours.cold.importMs.median, floor.cold.importMs.median),
      limit: 1.15,
    },
    {
      id: "coldImportVsPeer",
      label: "cold import ÷ peer",
      value: ratio(ours.cold.importMs.median, peer.cold.importMs.median),
      limit: 0.15,
    },
    {
      id: "warmP50VsFetch",
      label: "warm p50 ÷ raw fetch p50",
      value: ours.warm.p50VsFetch,
      limit: 1.3,
      floor: floor.warm.p50VsFetch,
    },
    {
      id: "coldPeakRss",
      label: "peak RSS, cold starts (MB)",
      value: ours.cold.peakRssMb.max,
      limit: 90,
      floor: floor.cold.peakRssMb.max,
    },
    {
      id: "warmPeakRss",
      label: "peak RSS, warm run (MB)",
      value: ours.warm.peakRssMb,
      limit: 90,
      floor: floor.warm.peakRssMb,
    },
    {
      id: "heapGrowth",
      label: "heap growth, 2nd half (B/invocation)",
      value: ours.warm.heapGrowthBytesPerInvocation,
      limit: HEAP_GROWTH_LIMIT_BYTES,
      floor: floor.warm.heapGrowthBytesPerInvocation,
    },
    {
      id: "secretReads",
      label: "instances off one read per TTL",
      value: coldReadsOff + (warmReadsOk ? 0 : 1),
      limit: 0,
    },
  ];
  return checks.map((check) => ({ ...check, met: check.value <= check.limit }));
}
