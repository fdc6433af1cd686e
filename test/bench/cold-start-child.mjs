// One cold start, as a new Lambda instance sees it: import the bundle (module scope runs: config,
// clients), then serve the first request (the secret read and the upstream call included).
// Usage: node cold-start-child.mjs <bundle file URL>; configuration through the environment.
import { benchEvent, lambdaContext, peakRssMb, report } from "./child-support.mjs";

const bundleUrl = process.argv[2];
const event = benchEvent();
const context = lambdaContext();

// Node's own start-up, before this line, is the same for every variant; it is reported apart.
// CPU time (all threads, user + system) next to wall time: on a busy machine the wall clock also
// counts waiting for a core, CPU time much less so.
const bootMs = performance.now();
const bootCpu = process.cpuUsage();
const { handler } = await import(bundleUrl);
const importedAt = performance.now();
const importCpu = process.cpuUsage(bootCpu);
const response = await handler(event, context);
const answeredAt = performance.now();
const requestCpu = process.cpuUsage(bootCpu);
const cpuMs = ({ user, system }) => (user + system) / 1000;

report("cold", {
  node: process.version,
  bootMs,
  importMs: importedAt - bootMs,
  firstRequestMs: answeredAt - importedAt,
  importCpuMs: cpuMs(importCpu),
  firstRequestCpuMs: cpuMs(requestCpu) - cpuMs(importCpu),
  statusCode: response?.statusCode,
  peakRssMb: peakRssMb(),
});
// Lambda freezes the instance once it answered: idle keep-alive sockets and timers left behind are
// no part of a cold start (and under valgrind they would only add to the count).
process.exit(0);
