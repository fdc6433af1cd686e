// The CPU quota's spin test: after the parent moved this process into the cgroup, a busy loop for
// BENCH_SPIN_MS of wall time; a quota that works lets it use about quota / period of a core.
import { cpuMs, report, signalInitAndAwaitInvoke } from "./child-support.mjs";

await signalInitAndAwaitInvoke();
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
const spinMs = Number(process.env.BENCH_SPIN_MS ?? "1000");
let x = 0;
while (performance.now() - wallStart < spinMs) x += Math.sqrt(x + 1);
report("spin", { wallMs: performance.now() - wallStart, cpuMs: cpuMs(cpuStart), x });
process.exit(0);
