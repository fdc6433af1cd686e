import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readBenchConfig, runBench } from "./bench.ts";
import { RESULTS_DIR, SCRATCH_DIR, writeResults } from "./results-files.ts";
import { renderTable } from "./table.ts";

// `npm run bench`: ours next to the floor, the official SDK's route and the limit handler, with the
// performance targets met or not. A benchmark, not a test: it prints and records, and fails only
// when it could not measure. Results go to .bench-out/bench/ (ignored); `npm run bench -- --save`
// writes the tracked test/bench/results/ instead. Iteration counts: BENCH_* (see readBenchConfig).

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--save");
if (unknown.length > 0) {
  console.error(`usage: npm run bench [-- --save]; unknown: ${unknown.join(" ")}`);
  process.exit(2);
}

// Children run on process.execPath; the figures only mean something on the Lambda's Node major.
if (!process.version.startsWith("v24.")) {
  console.warn(
    `warning: running on Node ${process.version}; run through npm scripts for the project's Node 24`,
  );
}

const config = readBenchConfig(process.env);
console.error(
  `bench: ${config.coldRuns} cold starts, ${config.lambdaRuns} model cold starts, ` +
    `${config.instructionRuns} valgrind counts and ${config.warmInvocations} warm invocations per variant; this takes a while`,
);
const results = await runBench(config, (line) => console.error(`bench: ${line}`));
console.log(renderTable(results));
const dir = args.includes("--save") ? RESULTS_DIR : SCRATCH_DIR;
const written = await writeResults(fileURLToPath(dir), results);
console.log(`\nwrote ${written.json}\nwrote ${written.svg}`);

// The broker-key authorizer's cold starts, printed after ours. Run from here, not chained in the npm
// script: npm appends `-- --save` to the script's last command, which would leave this one without it.
console.log("\nauthorizer cold starts (test/bench/authorizer-cold-start.ts):");
execFileSync(process.execPath, [fileURLToPath(new URL("./authorizer-cold-start.ts", import.meta.url))], {
  stdio: "inherit",
});
