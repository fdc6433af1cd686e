// One warm instance: a few warm-up requests, then BENCH_WARM_INVOCATIONS handler invocations, each
// followed by the same request to the same stub made with the limit handler's client (node:http
// keep-alive, bundled apart), the floor of the warm path. The two alternate so that whatever else
// the machine does slows both alike.
// Usage: node --expose-gc warm-run-child.mjs <bundle file URL> <client bundle file URL>; counts in
// BENCH_WARM_INVOCATIONS, BENCH_WARMUP and BENCH_SETTLE_MS, the function's configuration in the
// rest of the environment.
import { benchEvent, lambdaContext, peakRssMb, report } from "./child-support.mjs";

const bundleUrl = process.argv[2];
const invocations = Number(process.env.BENCH_WARM_INVOCATIONS);
const warmup = Number(process.env.BENCH_WARMUP);
const template = benchEvent();
const { handler } = await import(bundleUrl);
const { createKeepAliveClient } = await import(process.argv[3]);
const client = createKeepAliveClient();

const rawRequest = {
  method: "POST",
  headers: {
    accept: "application/json",
    authorization: `Bearer ${process.env.BENCH_API_KEY}`,
    "content-type": "application/json",
    "x-apideck-app-id": process.env.APIDECK_APP_ID,
    "x-apideck-consumer-id": template.headers["x-apideck-consumer-id"],
  },
  body: template.body,
};
const rawUrl = new URL(`${process.env.APIDECK_BASE_URL}/vault/sessions`);

const handlerMs = new Float64Array(invocations);
const clientMs = new Float64Array(invocations);
const memory = [];
let failures = 0;
let firstFailure;

/** One invocation; the event is cloned before the clock starts because our body parser edits it. */
async function invoke() {
  const event = structuredClone(template);
  const context = lambdaContext();
  const start = performance.now();
  const response = await handler(event, context);
  const ms = performance.now() - start;
  if (response?.statusCode !== 200) {
    failures += 1;
    firstFailure ??= { statusCode: response?.statusCode, body: String(response?.body).slice(0, 500) };
  }
  return ms;
}

/** The floor: the same POST with the limit handler's client, its body read and parsed, nothing else. */
async function rawRequestMs() {
  const start = performance.now();
  const response = await client.post(rawUrl, rawRequest.headers, rawRequest.body);
  JSON.parse(response.body);
  return performance.now() - start;
}

/** Heap after a full collection (so garbage does not read as growth) and RSS. */
function sampleMemory(done) {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { done, heapUsedMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 };
}

for (let i = 0; i < warmup; i++) {
  await invoke();
  await rawRequestMs();
}
const every = Math.max(1, Math.floor(invocations / 10));
const started = performance.now();
let peakRssFirstHalfMb = 0;
for (let i = 0; i < invocations; i++) {
  if (i % every === 0) memory.push(sampleMemory(i));
  if (i === Math.floor(invocations / 2)) peakRssFirstHalfMb = peakRssMb();
  handlerMs[i] = await invoke();
  clientMs[i] = await rawRequestMs();
}
memory.push(sampleMemory(invocations));
const durationMs = performance.now() - started;

// Timers a request armed (its deadline, say) keep what they reference until they fire, which reads
// as growth while requests keep coming; after an idle spell longer than any of them, whatever the
// heap still holds above the first sample's is a leak.
const settleMs = Number(process.env.BENCH_SETTLE_MS ?? "0");
let settled;
if (settleMs > 0) {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  settled = sampleMemory(invocations);
}

report("warm", {
  durationMs,
  // Microseconds are plenty and keep the line short.
  handlerMs: Array.from(handlerMs, (ms) => Math.round(ms * 1000) / 1000),
  clientMs: Array.from(clientMs, (ms) => Math.round(ms * 1000) / 1000),
  failures,
  firstFailure,
  memory,
  settled,
  peakRssFirstHalfMb,
  peakRssMb: peakRssMb(),
});
