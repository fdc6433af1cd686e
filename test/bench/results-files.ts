import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchResults } from "./bench.ts";
import { renderColdStartSvg } from "./svg-chart.ts";

/** The tracked results (`npm run bench -- --save`), committed after a run on a quiet machine. */
export const RESULTS_DIR = new URL("./results/", import.meta.url);

/** Where a plain `npm run bench` writes: ignored by git, so a development run changes nothing tracked. */
export const SCRATCH_DIR = new URL("../../.bench-out/bench/", import.meta.url);

/**
 * Writes `latest.json` (every measurement, with date, Node and machine) and `cold-start.svg` into
 * `dir`, creating it if needed; returns the two paths.
 */
export async function writeResults(
  dir: string,
  results: BenchResults,
): Promise<{ json: string; svg: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, "latest.json");
  const svg = join(dir, "cold-start.svg");
  await writeFile(json, `${JSON.stringify(results, roundNumbers, 2)}\n`);
  await writeFile(svg, renderColdStartSvg(results));
  return { json, svg };
}

/** Keeps the JSON readable and diffable: four decimals are below anything this bench resolves. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value;
}
