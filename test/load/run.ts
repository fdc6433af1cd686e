import { fileURLToPath } from "node:url";
import type { LoadOptions } from "./load-pipeline.ts";
import { runLoad } from "./load-pipeline.ts";
import { buildReport, RESULTS_DIR, renderReport, SCRATCH_DIR, writeReport } from "./load-report.ts";

// `npm run load`: the bounded load test against `npm start`'s server, started in this
// process on loopback. A fixed number of requests per phase (and a time cap), so it stops by
// itself. Exits 1 when a check fails. LOAD_REQUESTS and LOAD_CONNECTIONS shrink it for development.
// Results go to .bench-out/load/ (ignored); `npm run load -- --save` writes the tracked
// test/load/results/ instead.

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--save");
if (unknown.length > 0) {
  console.error(`usage: npm run load [-- --save]; unknown: ${unknown.join(" ")}`);
  process.exit(2);
}

if (!process.version.startsWith("v24.")) {
  console.warn(
    `warning: running on Node ${process.version}; run through npm scripts for the project's Node 24`,
  );
}

const amount = Number(process.env.LOAD_REQUESTS ?? 20_000);
const options: LoadOptions = {
  amount,
  connections: Number(process.env.LOAD_CONNECTIONS ?? 64),
  // As long as a phase: V8 keeps growing its heap (and RSS) for the first ~30 s under this load,
  // garbage included, before it levels off; a shorter warm-up would count that as growth.
  warmupAmount: amount,
  faultRate: 0.1,
  maxPhaseMs: 180_000,
};
console.error(
  `load: warm-up, then ${options.amount} requests at ${options.connections} connections for each of 3 phases; this takes a while`,
);

const report = buildReport(await runLoad(options));
console.log(renderReport(report));
const written = await writeReport(fileURLToPath(args.includes("--save") ? RESULTS_DIR : SCRATCH_DIR), report);
console.log(`\nwrote ${written}`);
if (!report.ok) process.exitCode = 1;
