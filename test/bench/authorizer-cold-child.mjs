// One cold start of the broker-key authorizer, as a new Lambda instance sees it: import the
// bundle (module scope: config, clients), then two decisions on the same key: the first reads the
// pepper, the key and marks it used; the second only reads the key (API Gateway's cache aside).
// Usage: node authorizer-cold-child.mjs <bundle file URL>; key and configuration in the environment.
import { peakRssMb, report } from "./child-support.mjs";

const bundleUrl = process.argv[2];
const event = JSON.parse(process.env.BENCH_AUTHORIZER_EVENT ?? "null");
const context = { functionName: "vault-session-broker-authorizer", awsRequestId: `bench-${process.pid}` };
const cpuMs = ({ user, system }) => (user + system) / 1000;

const bootMs = performance.now();
const bootCpu = process.cpuUsage();
const { handler } = await import(bundleUrl);
const importedAt = performance.now();
const importCpu = process.cpuUsage(bootCpu);
const first = await handler(event, context);
const firstAt = performance.now();
const second = await handler(event, context);
const secondAt = performance.now();

report("authorizer", {
  node: process.version,
  importMs: importedAt - bootMs,
  importCpuMs: cpuMs(importCpu),
  firstDecisionMs: firstAt - importedAt,
  secondDecisionMs: secondAt - firstAt,
  allowed: first?.isAuthorized === true && second?.isAuthorized === true,
  peakRssMb: peakRssMb(),
});
