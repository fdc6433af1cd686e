import type { Contributor } from "./build-bundles.ts";
import type { ColdResult } from "./cold-start.ts";
import type { CpuQuota } from "./cpu-quota.ts";
import type { InstructionResult } from "./instructions.ts";
import type { LambdaResult } from "./lambda-model.ts";
import type { WarmResult } from "./warm-run.ts";

/** The quota the model's invokes ran under, as recorded (without the live cgroup). */
export type QuotaRecord =
  | Omit<Extract<CpuQuota, { applied: true }>, "group">
  | Extract<CpuQuota, { applied: false }>;

/** Everything measured for one variant. */
export interface VariantResults {
  readonly bundle: { bytes: number; contributors: readonly Contributor[] };
  readonly cold: ColdResult;
  readonly lambda: LambdaResult;
  /** Absent when valgrind did not count this variant. */
  readonly instructions?: InstructionResult;
  readonly warm: WarmResult;
}

/**
 * Every cold process a variant ran, each of which must have read the secret exactly once:
 * full-CPU cold starts (with and without the INIT read) and model ones.
 */
export function coldInstances({ cold, lambda }: VariantResults) {
  return [...cold.runs, ...cold.runsWithoutInitRead, ...lambda.runs];
}
