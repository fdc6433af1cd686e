import { mkdir, writeFile } from "node:fs/promises";
import { cpus, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import type { LoadRun, PhaseReport } from "./load-pipeline.ts";

/** The tracked results (`npm run load -- --save`), committed after a run on a quiet machine. */
export const RESULTS_DIR = new URL("./results/", import.meta.url);

/** Where a plain `npm run load` writes: ignored by git, so a development run changes nothing tracked. */
export const SCRATCH_DIR = new URL("../../.bench-out/load/", import.meta.url);

/** The issue's memory bound: second-half mean RSS within 10% of the first half's. */
export const MAX_RSS_GROWTH_PCT = 10;

/** One expectation of the issue, checked against a phase. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
}

/** A run with its context and verdicts: what `latest.json` holds. */
export interface LoadReport extends LoadRun {
  readonly date: string;
  readonly node: string;
  readonly machine: { cpu: string; cores: number; memoryGb: number; os: string };
  readonly checks: Readonly<Record<string, readonly Check[]>>;
  readonly ok: boolean;
}

/** Adds the date, Node version, machine and the verdicts to a run. */
export function buildReport(run: LoadRun, date = new Date()): LoadReport {
  const checks = Object.fromEntries(
    run.phases.map((phase) => [phase.name, checkPhase(phase, run.options.amount)]),
  );
  const all = Object.values(checks).flat();
  const cores = cpus();
  return {
    date: date.toISOString(),
    node: process.version,
    machine: {
      cpu: cores[0]?.model.trim() ?? "unknown",
      cores: cores.length,
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      os: `${platform()} ${release()}`,
    },
    ...run,
    checks,
    ok: all.length > 0 && all.every((check) => check.ok),
  };
}

/**
 * The issue's expectations: every request answered; no error on the clean phase; on a faulty phase
 * only the mapped status, in the expected share (within four binomial standard deviations, so a
 * fair run fails about once in 15,000); RSS growth under `MAX_RSS_GROWTH_PCT`.
 */
export function checkPhase(phase: PhaseReport, amount: number): Check[] {
  const otherStatuses = Object.keys(phase.statusCounts).filter(
    (s) => s !== "200" && Number(s) !== phase.mappedStatus,
  );
  const p = phase.expectedErrorPct / 100;
  const tolerancePct = 4 * Math.sqrt((p * (1 - p)) / Math.max(phase.requests, 1)) * 100;
  return [
    { name: `all ${amount} requests answered`, ok: phase.requests === amount && !phase.truncated },
    { name: "no socket errors", ok: phase.socketErrors === 0 },
    phase.mappedStatus === undefined
      ? { name: "no non-2xx answers", ok: phase.non2xx === 0 }
      : { name: `only ${phase.mappedStatus} besides 200`, ok: otherStatuses.length === 0 },
    {
      name: `error share ${phase.expectedErrorPct.toFixed(2)}% ± ${tolerancePct.toFixed(2)}`,
      ok: Math.abs(phase.observedErrorPct - phase.expectedErrorPct) <= tolerancePct,
    },
    { name: `RSS growth < ${MAX_RSS_GROWTH_PCT}%`, ok: phase.rss.growthPct < MAX_RSS_GROWTH_PCT },
  ];
}

/** The markdown table printed at the end of a run, with the context a reader needs to trust it. */
export function renderReport(report: LoadReport): string {
  const { options: o, machine: m } = report;
  const header = [
    "| phase | requests | req/s | p50 ms | p99 ms | non-2xx | socket errors | errors % (expected) | faults played % | RSS MB 1st → 2nd half (growth) | checks |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const rows = report.phases.map((phase) => {
    const failed = (report.checks[phase.name] ?? []).filter((check) => !check.ok).map((check) => check.name);
    const statuses = Object.entries(phase.statusCounts).filter(([status]) => status !== "200");
    const played = phase.upstream.requests > 0 ? (phase.upstream.faults / phase.upstream.requests) * 100 : 0;
    return `| ${[
      phase.fault ? `${phase.name}, ${o.faultRate * 100}%` : phase.name,
      phase.requests,
      phase.throughputRps.toFixed(0),
      phase.latencyP50Ms,
      phase.latencyP99Ms,
      statuses.length === 0 ? "0" : statuses.map(([status, count]) => `${count} × ${status}`).join(", "),
      phase.socketErrors,
      `${phase.observedErrorPct.toFixed(2)} (${phase.expectedErrorPct.toFixed(2)})`,
      `${played.toFixed(2)} of ${phase.upstream.requests} calls`,
      `${phase.rss.firstHalfMeanMb.toFixed(1)} → ${phase.rss.secondHalfMeanMb.toFixed(1)} (${phase.rss.growthPct.toFixed(1)}%)`,
      failed.length === 0 ? "ok" : `FAILED: ${failed.join("; ")}`,
    ].join(" | ")} |`;
  });
  return [
    `Load: ${o.amount} requests per phase at ${o.connections} connections, after ${o.warmupAmount} unmeasured warm-up requests; POST /vault/sessions on the local server (loopback).`,
    `Handler logging: POWERTOOLS_LOG_LEVEL=${report.logLevel}; ${report.handlerLogLines} JSON log lines counted and not printed.`,
    `Node ${report.node}; ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB; ${report.date}. Timings are noisy on a shared machine.`,
    "",
    ...header,
    ...rows,
    "",
    report.ok ? "All checks passed." : "Some checks FAILED (see the last column).",
  ].join("\n");
}

/** Writes `latest.json` into `dir`, creating it if needed; returns its path. */
export async function writeReport(dir: string, report: LoadReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, "latest.json");
  const round = (_key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
  await writeFile(path, `${JSON.stringify(report, round, 2)}\n`);
  return path;
}
