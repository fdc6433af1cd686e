// Two builds of our handler in one warm process, A and B, each invocation followed by the same
// request made with the limit handler's client; the three take turns (A, client, B, then B,
// client, A) so that whatever else the machine does slows them alike, and so do the CPU caches.
// Usage: node warm-ab-child.mjs <bundle A URL> <bundle B URL> <client bundle URL>; counts in
// BENCH_AB_INVOCATIONS and BENCH_WARMUP, the function's configuration in the rest of the environment.
import { benchEvent, lambdaContext, report } from "./child-support.mjs";

const [aUrl, bUrl, clientUrl] = process.argv.slice(2);
const invocations = Number(process.env.BENCH_AB_INVOCATIONS);
const warmup = Number(process.env.BENCH_WARMUP);
const template = benchEvent();
// Two module instances: each has its own clients, key cache and connection pool, as two
// Lambda instances would (the query string makes B a module of its own even for the same file).
const a = (await import(aUrl)).handler;
const b = (await import(`${bUrl}?b`)).handler;
const { createKeepAliveClient } = await import(clientUrl);
const client = createKeepAliveClient();
const rawUrl = new URL(`${process.env.APIDECK_BASE_URL}/vault/sessions`);
const rawHeaders = {
  accept: "application/json",
  authorization: `Bearer ${process.env.BENCH_API_KEY}`,
  "content-type": "application/json",
  "x-apideck-app-id": process.env.APIDECK_APP_ID,
  "x-apideck-consumer-id": template.headers["x-apideck-consumer-id"],
};

/** One invocation's wall time; a failed one stops the run, since it measured something else. */
async function invoke(handler) {
  const event = structuredClone(template);
  const context = lambdaContext();
  const start = performance.now();
  const response = await handler(event, context);
  const ms = performance.now() - start;
  if (response?.statusCode !== 200) throw new Error(`answered ${response?.statusCode}: ${response?.body}`);
  return ms;
}

async function rawRequestMs() {
  const start = performance.now();
  const response = await client.post(rawUrl, rawHeaders, template.body);
  JSON.parse(response.body);
  return performance.now() - start;
}

for (let i = 0; i < warmup; i++) {
  await invoke(a);
  await rawRequestMs();
  await invoke(b);
}
const ms = { a: [], b: [], client: [] };
for (let i = 0; i < invocations; i++) {
  const [first, second] = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
  ms[first].push(await invoke(first === "a" ? a : b));
  ms.client.push(await rawRequestMs());
  ms[second].push(await invoke(second === "a" ? a : b));
}
const median = (list) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)];
report("ab", { aMs: median(ms.a), bMs: median(ms.b), clientMs: median(ms.client) });
process.exit(0);
