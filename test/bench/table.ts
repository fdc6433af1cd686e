import type { BenchResults } from "./bench.ts";
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

/** The rows, top to bottom: bundle, cold start, warm path, memory, secret reads. */
function rows(r: BenchResults): Row[] {
  const x = r.variants;
  return [
    { label: "bundle size (KB)", value: (v) => x[v].bundle.bytes / 1024 },
    {
      label: "cold import (ms)",
      value: (v) => x[v].cold.importMs.median,
      cell: (v) => spread(x[v].cold.importMs),
    },
    {
      label: "cold first request (ms)",
      value: (v) => x[v].cold.firstRequestMs.median,
      cell: (v) => spread(x[v].cold.firstRequestMs),
    },
    {
      label: "cold import, CPU time (ms)",
      value: (v) => x[v].cold.importCpuMs.median,
      cell: (v) => spread(x[v].cold.importCpuMs),
    },
    {
      label: "cold first request, CPU time (ms)",
      value: (v) => x[v].cold.firstRequestCpuMs.median,
      cell: (v) => spread(x[v].cold.firstRequestCpuMs),
    },
    {
      label: "cold process, spawn to exit (ms)",
      value: (v) => x[v].cold.processMs.median,
      cell: (v) => spread(x[v].cold.processMs, 0),
    },
    {
      label: "cold peak RSS (MB)",
      value: (v) => x[v].cold.peakRssMb.median,
      cell: (v) => spread(x[v].cold.peakRssMb),
    },
    { label: "warm handler p50 (ms)", value: (v) => x[v].warm.handlerMs.median, digits: 3 },
    { label: "warm handler p99 (ms)", value: (v) => x[v].warm.handlerMs.p99, digits: 3 },
    { label: "warm raw fetch p50, same process (ms)", value: (v) => x[v].warm.fetchMs.median, digits: 3 },
    { label: "warm p50 ÷ raw fetch p50", value: (v) => x[v].warm.p50VsFetch, digits: 2 },
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
      value: (v) => Math.max(...x[v].cold.runs.map((run) => run.secretReads)),
      cell: (v) => [...new Set(x[v].cold.runs.map((run) => run.secretReads))].join("/"),
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

/**
 * The bench's one table: a row per measurement, a column per variant, then ours ÷ floor and
 * ours ÷ peer (ratios of medians), then issue #5's targets with their verdicts.
 */
export function renderTable(r: BenchResults): string {
  const { cpu, cores, memoryGb } = r.machine;
  const header = ["", ...VARIANTS, "ours÷floor", "ours÷peer"];
  const body = rows(r).map(({ label, value, cell, digits }) => [
    label,
    ...VARIANTS.map((v) => (cell ? cell(v) : fmt(value(v), digits))),
    fmt(ratio(value("ours"), value("floor")), 2),
    fmt(ratio(value("ours"), value("peer")), 2),
  ]);
  const digits = (limit: number) => (limit < 10 ? 2 : 1);
  const targets = r.targets.map((t) => [
    t.label,
    fmt(t.value, digits(t.limit)),
    `≤ ${t.limit}`,
    t.met ? "met" : "NOT MET",
    t.floor === undefined ? "" : fmt(t.floor, digits(t.limit)),
  ]);
  return [
    `vault-session-broker bench · ${r.date} · Node ${r.node} · ${cpu}, ${cores} cores, ${memoryGb} GB`,
    `${r.config.coldRuns} cold starts per variant · ${r.config.warmInvocations} warm invocations per variant` +
      ` (+${r.config.warmup} warm-up) · secret TTL ${r.config.secretTtlSeconds} s`,
    "",
    ...align([header, ...body]),
    "",
    ...VARIANTS.map((v) => `${v} bundle, largest contributors (KB): ${contributors(r, v)}`),
    "",
    ...align([["issue #5 target (ours)", "ours", "limit", "verdict", "floor"], ...targets]),
  ].join("\n");
}

/** The six packages (or our own folders) that put the most bytes into a variant's bundle. */
function contributors(r: BenchResults, variant: Variant): string {
  return r.variants[variant].bundle.contributors
    .slice(0, 6)
    .map((c) => `${c.name} ${fmt(c.bytes / 1024)}`)
    .join(", ");
}

/** Pads columns to their widest cell: the label left-aligned, numbers right-aligned. */
function align(table: string[][]): string[] {
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length))) ?? [];
  return table.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
