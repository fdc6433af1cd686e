import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// The authorizer's cold-start measurement with one run, so a broken script shows up in `npm test`.
// Structure only: no figure is compared with a threshold.
describe("Bench: authorizer cold start", () => {
  it("builds the bundle, serves two decisions per fresh process and prints a summary", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["test/bench/authorizer-cold-start.ts"], {
      env: { ...process.env, BENCH_AUTHORIZER_RUNS: "1" },
      timeout: 60_000,
    });

    const summary = JSON.parse(stdout) as Record<string, { median: number }> & { runs: number };
    expect(summary.runs).toBe(1);
    for (const field of ["importMs", "firstDecisionMs", "secondDecisionMs", "peakRssMb"])
      expect(summary[field]?.median).toBeGreaterThan(0);
  }, 60_000);
});
