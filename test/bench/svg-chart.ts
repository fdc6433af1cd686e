import type { BenchResults } from "./bench.ts";
import { VARIANTS } from "./build-bundles.ts";
import { fmt } from "./table.ts";

const WIDTH = 760;
const LEFT = 70;
const RIGHT = 40;
const TOP = 74;
const ROW = 58;
const BAR = 22;
const COLORS = { import: "#2f6db5", request: "#9cc3e8", whisker: "#1b1b1b" };

/** Escapes text for an SVG text node or attribute (a CPU model may hold `&` or `<`). */
function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/**
 * The cold start of each variant as a horizontal stacked bar: median import, then median first
 * request, with a whisker over the import's min–max; peak RSS as text. Written by hand (a few
 * rects and texts) so the bench needs no charting dependency. Stamped with date, Node and machine.
 */
export function renderColdStartSvg(r: BenchResults): string {
  const { cpu, cores, memoryGb } = r.machine;
  const cold = VARIANTS.map((variant) => ({ variant, ...r.variants[variant].cold }));
  const longest = Math.max(
    ...cold.map((c) => Math.max(c.importMs.max, c.importMs.median + c.firstRequestMs.median)),
  );
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (ms: number) => (Number.isFinite(ms) && longest > 0 ? (ms / longest) * plotWidth : 0);
  const height = TOP + cold.length * ROW + 44;

  const bars = cold.flatMap((c, i) => {
    const y = TOP + i * ROW;
    const importW = x(c.importMs.median);
    const requestW = x(c.firstRequestMs.median);
    const mid = y + BAR / 2;
    const label = `import ${fmt(c.importMs.median)} ms · first request ${fmt(c.firstRequestMs.median)} ms · peak RSS ${fmt(c.peakRssMb.median)} MB`;
    return [
      `<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end" font-weight="bold">${c.variant}</text>`,
      `<rect x="${LEFT}" y="${y}" width="${importW.toFixed(1)}" height="${BAR}" fill="${COLORS.import}"/>`,
      `<rect x="${(LEFT + importW).toFixed(1)}" y="${y}" width="${requestW.toFixed(1)}" height="${BAR}" fill="${COLORS.request}"/>`,
      `<line x1="${(LEFT + x(c.importMs.min)).toFixed(1)}" x2="${(LEFT + x(c.importMs.max)).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="${COLORS.whisker}" stroke-width="1.5"/>`,
      `<text x="${LEFT}" y="${y + BAR + 15}" font-size="12" fill="#333">${esc(label)}</text>`,
    ];
  });

  const legendY = height - 18;
  const title = `Cold start: import + first request (median of ${r.config.coldRuns} fresh processes)`;
  const stamp = esc(`${r.date} · Node ${r.node} · ${cpu}, ${cores} cores, ${memoryGb} GB`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    // The title is what screen readers (and Biome's a11y lint, which checks this file) expect.
    `<title>${esc(title)}: ${cold.map((c) => `${c.variant} ${fmt(c.importMs.median)} + ${fmt(c.firstRequestMs.median)} ms`).join(", ")}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<text x="16" y="46" font-size="12" fill="#555">${stamp}</text>`,
    ...bars,
    `<rect x="${LEFT}" y="${legendY - 10}" width="12" height="12" fill="${COLORS.import}"/>`,
    `<text x="${LEFT + 18}" y="${legendY}" font-size="12">import (whisker: min–max)</text>`,
    `<rect x="${LEFT + 200}" y="${legendY - 10}" width="12" height="12" fill="${COLORS.request}"/>`,
    `<text x="${LEFT + 218}" y="${legendY}" font-size="12">first request (secret read + upstream call)</text>`,
    "</svg>",
    "",
  ].join("\n");
}
