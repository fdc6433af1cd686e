import { fileURLToPath } from "node:url";
import { readBenchConfig, runBench } from "./bench.ts";
import { RESULTS_DIR, writeResults } from "./results-files.ts";
import { renderTable } from "./table.ts";

// `npm run bench`: the performance figures of issue #5, ours next to the floor and the peer.
// A benchmark, not a test: it prints and records, and fails only when it could not measure.
// Iteration counts: BENCH_COLD_RUNS, BENCH_WARM_INVOCATIONS and friends (see readBenchConfig).

// Children run on process.execPath; the figures only mean something on the Lambda's Node major.
if (!process.version.startsWith("v24.")) {
  console.warn(
    `warning: running on Node ${process.version}; run through npm scripts for the project's Node 24`,
  );
}

const config = readBenchConfig(process.env);
console.error(
  `bench: ${config.coldRuns} cold starts and ${config.warmInvocations} warm invocations per variant; this takes a while`,
);
const results = await runBench(config);
console.log(renderTable(results));
const written = await writeResults(fileURLToPath(RESULTS_DIR), results);
console.log(`\nwrote ${written.json}\nwrote ${written.svg}`);
