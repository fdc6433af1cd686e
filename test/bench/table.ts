import { type BenchResults, describeQuota } from "./bench.ts";
import { coldInstances } from "./bench-types.ts";
import { VARIANTS, type Variant } from "./build-bundles.ts";
import { ratio, type Summary } from "./stats.ts";

type Row = { label: string; value: (v: Variant) => number; cell?: (v: Variant) => string; digits?: number };

/** A number for the table; NaN (a ratio against nothing, an empty sample) reads "n/a". */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** "median (min–max)": the spread next to the figure the targets compare. */
const spread = (s: Summary, digits = 1) =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

/** A row of medians with their spread. */
const summaryRow = (label: string, of: (v: Variant) => Summary, digits = 1): Row => ({
  label,
  value: (v) => of(v).median,
  cell: (v) => spread(of(v), digits),
});

/** The rows, top to bottom: bundle, Lambda model, instructions, cold start, warm path, secret reads. */
function rows(r: BenchResults): Row[] {
  const x = r.variants;
  const model = `${r.config.memoryMb} MB model`;
  return [
    { label: "bundle size (KB)", value: (v) => x[v].bundle.bytes / 1024 },
    summaryRow(`${model}: INIT (ms)`, (v) => x[v].lambda.initMs),
    summaryRow(`${model}: first request (ms)`, (v) => x[v].lambda.firstRequestMs),
    summaryRow(`${model}: INIT + first request (ms)`, (v) => x[v].lambda.totalMs),
    summaryRow(`${model}: first request, CPU (ms)`, (v) => x[v].lambda.firstRequestCpuMs),
    {
      label: `${model}: throttled periods, first request`,
      value: (v) => Math.max(...x[v].lambda.runs.map((run) => run.throttledPeriods)),
      digits: 0,
    },
    {
      label: "instructions, boot + import + 1st request (M)",
      value: (v) => (x[v].instructions?.instructions.median ?? Number.NaN) / 1e6,
      cell: (v) => {
        const runs = x[v].instructions?.runs;
        return runs ? runs.map((n) => fmt(n / 1e6, 0)).join(" / ") : "not counted";
      },
    },
    summaryRow("cold import, full CPU (ms)", (v) => x[v].cold.importMs),
    summaryRow("cold import, INIT secret read off (ms)", (v) => x[v].cold.importWithoutInitReadMs),
    summaryRow("cold first request, full CPU (ms)", (v) => x[v].cold.firstRequestMs),
    summaryRow("cold import, CPU time (ms)", (v) => x[v].cold.importCpuMs),
    summaryRow("cold first request, CPU time (ms)", (v) => x[v].cold.firstRequestCpuMs),
    summaryRow("cold process, spawn to answer (ms)", (v) => x[v].cold.processMs, 0),
    summaryRow("cold peak RSS (MB)", (v) => x[v].cold.peakRssMb),
    { label: "warm handler p50 (ms)", value: (v) => x[v].warm.handlerMs.median, digits: 3 },
    { label: "warm handler p99 (ms)", value: (v) => x[v].warm.handlerMs.p99, digits: 3 },
    { label: "warm limit-client p50, same process (ms)", value: (v) => x[v].warm.clientMs.median, digits: 3 },
    { label: "warm p50 ÷ limit-client p50", value: (v) => x[v].warm.p50VsClient, digits: 2 },
    { label: "warm peak RSS (MB)", value: (v) => x[v].warm.peakRssMb },
    { label: "warm RSS growth, 2nd half (MB)", value: (v) => x[v].warm.rssGrowthMb },
    {
      label: `warm heap retained after ${r.config.settleSeconds} s idle (MB)`,
      value: (v) => x[v].warm.heapRetainedAfterIdleMb,
      digits: 2,
    },
    {
      label: "warm heap growth, 2nd half (B/inv.)",
      value: (v) => x[v].warm.heapGrowthBytesPerInvocation,
      digits: 0,
    },
    {
      label: "GetSecretValue per cold instance",
      value: (v) => Math.max(...coldInstances(x[v]).map((run) => run.secretReads)),
      cell: (v) => [...new Set(coldInstances(x[v]).map((run) => run.secretReads))].join("/"),
    },
    {
      label: "GetSecretValue in the warm process",
      value: (v) => x[v].warm.secretReads,
      cell: (v) => {
        const { min, max } = x[v].warm.expectedSecretReads;
        return `${x[v].warm.secretReads} (ok: ${min === max ? min : `${min}–${max}`})`;
      },
    },
  ];
}

const OTHERS = VARIANTS.filter((v) => v !== "limit");

/**
 * The bench's printout: what ran where, one table with a column per variant and each figure as a
 * ratio to the limit's (medians), the bundles' largest parts, then the targets with their verdicts.
 */
export function renderTable(r: BenchResults): string {
  const { cpu, cores, memoryGb } = r.machine;
  const { secretsManager, apideck } = r.latency;
  const header = ["", ...VARIANTS, ...OTHERS.map((v) => `${v}÷limit`)];
  const body = rows(r).map(({ label, value, cell, digits }) => [
    label,
    ...VARIANTS.map((v) => (cell ? cell(v) : fmt(value(v), digits))),
    ...OTHERS.map((v) => fmt(ratio(value(v), value("limit")), 2)),
  ]);
  const targets = r.targets.map((t) => [
    t.label,
    fmt(t.value, t.limit < 10 ? 2 : 1),
    `≤ ${t.limit}`,
    t.verdict,
    t.detail,
  ]);
  return [
    `vault-session-broker bench · ${r.date} · Node ${r.node} · ${cpu}, ${cores} cores, ${memoryGb} GB`,
    `${r.config.coldRuns} cold starts and ${r.config.lambdaRuns} model cold starts per variant · ` +
      `${r.config.warmInvocations} warm invocations per variant (+${r.config.warmup} warm-up) · secret TTL ${r.config.secretTtlSeconds} s`,
    `${r.config.memoryMb} MB model: INIT at full CPU; first request under ${describeQuota(r.quota)}`,
    r.network.applied
      ? `model network: ${r.network.https ? "HTTPS" : `plain HTTP (${r.network.reason})`}; Secrets Manager +${secretsManager.responseMs} ms per call, Apideck +${apideck.responseMs} ms per round trip, +${apideck.connectMs} ms per new connection`
      : `model network: loopback only, no latency injected (${r.network.reason})`,
    `cold starts and instruction counts: the same ${r.network.applied && r.network.https ? "HTTPS" : "plain HTTP"} without added latency; warm runs: plain HTTP, straight to the stubs`,
    `instructions: ${r.instructions.skipped ? `not counted (${r.instructions.skipped})` : r.instructions.tool}`,
    "",
    ...align([header, ...body]),
    "",
    ...VARIANTS.map((v) => `${v} bundle, largest contributors (KB): ${contributors(r, v)}`),
    "",
    ...align([["target (ours)", "value", "bound", "verdict", "numbers"], ...targets], [0, 3, 4]),
  ].join("\n");
}

/** The six packages (or our own folders) that put the most bytes into a variant's bundle. */
function contributors(r: BenchResults, variant: Variant): string {
  return r.variants[variant].bundle.contributors
    .slice(0, 6)
    .map((c) => `${c.name} ${fmt(c.bytes / 1024)}`)
    .join(", ");
}

/** Pads columns to their widest cell: the `left` columns left-aligned (text), the others right-aligned. */
function align(table: string[][], left: readonly number[] = [0]): string[] {
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length))) ?? [];
  return table.map((row) =>
    row
      .map((cell, i) => (left.includes(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
