import type { BenchResults } from "./bench.ts";
import { VARIANTS } from "./build-bundles.ts";
import { ratio } from "./stats.ts";
import { fmt } from "./table.ts";

const WIDTH = 760;
const LEFT = 70;
const RIGHT = 40;
const TOP = 74;
const ROW = 58;
const BAR = 22;
const COLORS = { init: "#2f6db5", request: "#9cc3e8", whisker: "#1b1b1b" };

/** Escapes text for an SVG text node or attribute (a CPU model may hold `&` or `<`). */
function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/**
 * The Lambda model's cold start of each variant as a horizontal stacked bar: median INIT (full
 * CPU), then median first request (under the CPU quota), with a whisker over INIT + first request's
 * min–max, and the total as a ratio to the limit's. Written by hand (a few rects and texts) so the
 * bench needs no charting dependency. Stamped with date, Node, machine and the quota.
 */
export function renderColdStartSvg(r: BenchResults): string {
  const { cpu, cores, memoryGb } = r.machine;
  const bars = VARIANTS.map((variant) => ({ variant, ...r.variants[variant].lambda }));
  const limitTotal = r.variants.limit.lambda.totalMs.median;
  // The official SDK's route is ten times the others: scaled to it, the rest would be slivers.
  // A bar more than twice the next longest is cut at the axis's end, and its label says so.
  const ends = bars.map((c) => Math.max(c.totalMs.max, c.totalMs.median)).sort((a, b) => b - a);
  const [first = 0, second = 0] = ends;
  const longest = first > 2 * second ? second * 1.1 : first;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (ms: number) =>
    Number.isFinite(ms) && longest > 0 ? (Math.min(ms, longest) / longest) * plotWidth : 0;
  const height = TOP + bars.length * ROW + 44;

  const rows = bars.flatMap((c, i) => {
    const y = TOP + i * ROW;
    const initW = x(c.initMs.median);
    const requestW = x(c.initMs.median + c.firstRequestMs.median) - initW;
    const mid = y + BAR / 2;
    const times = ratio(c.totalMs.median, limitTotal);
    const cut = c.totalMs.median > longest ? " · bar cut" : "";
    const label = `INIT ${fmt(c.initMs.median, 0)} ms · first request ${fmt(c.firstRequestMs.median, 0)} ms · together ${fmt(c.totalMs.median, 0)} ms (${fmt(times, 2)} × limit)${cut}`;
    return [
      `<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end" font-weight="bold">${c.variant}</text>`,
      `<rect x="${LEFT}" y="${y}" width="${initW.toFixed(1)}" height="${BAR}" fill="${COLORS.init}"/>`,
      `<rect x="${(LEFT + initW).toFixed(1)}" y="${y}" width="${requestW.toFixed(1)}" height="${BAR}" fill="${COLORS.request}"/>`,
      `<line x1="${(LEFT + x(c.totalMs.min)).toFixed(1)}" x2="${(LEFT + x(c.totalMs.max)).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="${COLORS.whisker}" stroke-width="1.5"/>`,
      `<text x="${LEFT}" y="${y + BAR + 15}" font-size="12" fill="#333">${esc(label)}</text>`,
    ];
  });

  const legendY = height - 18;
  const title = `Cold start on a ${r.config.memoryMb} MB Lambda (model, median of ${r.config.lambdaRuns} fresh processes)`;
  const cpuNote = r.quota.applied
    ? `invoke at ${(r.quota.fraction * 100).toFixed(1)} % of a core`
    : "invoke at full CPU (no quota available)";
  const stamp = esc(`${r.date} · Node ${r.node} · ${cpu}, ${cores} cores, ${memoryGb} GB · ${cpuNote}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    // The title is what screen readers (and Biome's a11y lint, which checks this file) expect.
    `<title>${esc(title)}: ${bars.map((c) => `${c.variant} ${fmt(c.initMs.median, 0)} + ${fmt(c.firstRequestMs.median, 0)} ms`).join(", ")}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<text x="16" y="46" font-size="12" fill="#555">${stamp}</text>`,
    ...rows,
    `<rect x="${LEFT}" y="${legendY - 10}" width="12" height="12" fill="${COLORS.init}"/>`,
    `<text x="${LEFT + 18}" y="${legendY}" font-size="12">INIT: Node start + import, full CPU</text>`,
    `<rect x="${LEFT + 250}" y="${legendY - 10}" width="12" height="12" fill="${COLORS.request}"/>`,
    `<text x="${LEFT + 268}" y="${legendY}" font-size="12">first request (whisker: min–max of both)</text>`,
    "</svg>",
    "",
  ].join("\n");
}
