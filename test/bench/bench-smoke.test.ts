import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchResults, readBenchConfig, runBench } from "./bench.ts";
import { VARIANTS } from "./build-bundles.ts";
import { writeResults } from "./results-files.ts";
import { renderTable } from "./table.ts";

// The whole bench pipeline with tiny counts, so a broken bench shows up in `npm test`. Structure
// only: timings on a shared CI machine mean nothing, so no figure is compared with a threshold.
// The two parts that need more than Node are switched off by their options, as a machine without
// them would see them: the CPU quota (root and cgroup v1) and the instruction count (valgrind).
describe("Bench: npm run bench", () => {
  const COLD_RUNS = 2;
  const WARM = 100;
  let results: BenchResults;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "bench-smoke-"));
    const config = readBenchConfig({
      BENCH_COLD_RUNS: String(COLD_RUNS),
      BENCH_COLD_WARMUP_ROUNDS: "0",
      BENCH_WARM_INVOCATIONS: String(WARM),
      BENCH_WARMUP: "10",
      BENCH_SETTLE_SECONDS: "0",
      BENCH_LAMBDA_RUNS: "1",
      BENCH_CPU_QUOTA: "off",
      BENCH_SECRETS_LATENCY_MS: "1",
      BENCH_APIDECK_LATENCY_MS: "1",
      BENCH_CONNECT_MS: "1",
      BENCH_INSTRUCTION_RUNS: "0",
    });
    results = await runBench(config);
  }, 180_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("runs itself and its children on the project's Node 24 and records the machine", () => {
    expect(results.node).toMatch(/^v24\./);
    for (const variant of VARIANTS) {
      expect(results.variants[variant].cold.runs.every((run) => run.node === results.node)).toBe(true);
    }
    expect(results.machine).toEqual({
      cpu: expect.any(String),
      cores: expect.any(Number),
      memoryGb: expect.any(Number),
      os: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(results.date))).toBe(false);
  });

  it("measures every variant's bundle, cold starts, model cold starts and warm run", () => {
    expect(VARIANTS).toEqual(["ours", "floor", "peer", "limit"]);
    for (const variant of VARIANTS) {
      const { bundle, cold, lambda, warm } = results.variants[variant];
      expect(bundle.bytes).toBeGreaterThan(0);
      expect(bundle.contributors.length).toBeGreaterThan(0);
      expect(cold.runs).toHaveLength(COLD_RUNS);
      expect(cold.runs.every((run) => run.statusCode === 200 && run.importMs > 0 && run.peakRssMb > 0)).toBe(
        true,
      );
      expect(lambda.runs).toHaveLength(1);
      expect(
        lambda.runs.every((run) => run.statusCode === 200 && run.initMs > 0 && run.firstRequestMs > 0),
      ).toBe(true);
      expect(warm.invocations).toBe(WARM);
      expect(warm.handlerMs.n).toBe(WARM);
      expect(warm.clientMs.n).toBe(WARM);
      expect(warm.memory.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("counts exactly one GetSecretValue per child process", () => {
    for (const variant of VARIANTS) {
      const { cold, lambda, warm } = results.variants[variant];
      expect(cold.runs.map((run) => run.secretReads)).toEqual(Array(COLD_RUNS).fill(1));
      // Ours starts once more per round without Lambda's INIT secret read: it reads on its first request.
      const extra = variant === "ours" ? COLD_RUNS : 0;
      expect(cold.runsWithoutInitRead.map((run) => [run.statusCode, run.secretReads])).toEqual(
        Array(extra).fill([200, 1]),
      );
      expect(lambda.runs.map((run) => run.secretReads)).toEqual([1]);
      expect(warm.secretReads).toBe(1);
    }
  });

  it("bundles our handler with the AWS SDK and without the Apideck SDK", () => {
    const names = (variant: "ours" | "peer") =>
      results.variants[variant].bundle.contributors.map((c) => c.name);

    expect(names("ours")).toContain("@aws-sdk/client-secrets-manager");
    expect(names("ours")).not.toContain("@apideck/unify");
    expect(names("peer")).toContain("@apideck/unify");
  });

  it("bundles the limit handler without any SDK", () => {
    const names = results.variants.limit.bundle.contributors.map((c) => c.name);

    expect(names).toEqual(["test/"]);
  });

  it("records why the model ran without a CPU quota and valgrind did not count", () => {
    expect(results.quota).toMatchObject({ applied: false, reason: "CPU quota disabled by option" });
    expect(results.instructions.skipped).toBe("switched off by option");
    for (const variant of VARIANTS) expect(results.variants[variant].instructions).toBeUndefined();
  });

  it("checks each target, and calls the ones this run could not measure not measured", () => {
    expect(results.targets.map((t) => t.id)).toEqual([
      "bundleSize",
      "instructions",
      "modelInitAndFirstRequest",
      "modelFirstRequest",
      "warmP50",
      "heapGrowth",
      "coldPeakRss",
      "secretReads",
      "coldImportVsPeer",
    ]);
    const verdict = (id: string) => results.targets.find((t) => t.id === id)?.verdict;
    expect(verdict("secretReads")).toBe("met");
    expect(verdict("instructions")).toBe("not measured");
    expect(verdict("modelInitAndFirstRequest")).toBe("not measured");
    expect(verdict("modelFirstRequest")).toBe("not measured");
    expect(verdict("bundleSize")).toMatch(/^(met|not met)$/);
  });

  it("prints one table with the four variants, the ratios to the limit and the targets", () => {
    const table = renderTable(results);

    expect(table.split("\n").find((line) => line.includes("ours÷limit"))).toMatch(
      /ours\s+floor\s+peer\s+limit\s+ours÷limit\s+floor÷limit\s+peer÷limit/,
    );
    expect(table).toContain("256 MB model: INIT + first request (ms)");
    expect(table).toContain("no CPU quota (CPU quota disabled by option)");
    expect(table).toMatch(/Lambda model: INIT \+ first request ÷ limit .*not measured/);
    expect(table).not.toMatch(/issue/i);
  });

  it("writes the results as JSON and the cold-start chart as SVG", async () => {
    const written = await writeResults(outDir, results);

    const json = JSON.parse(await readFile(written.json, "utf8")) as BenchResults;
    expect(json.node).toBe(results.node);
    expect(Object.keys(json.variants)).toEqual([...VARIANTS]);
    const svg = await readFile(written.svg, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(results.node);
    expect(svg).toContain(results.machine.cpu);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
