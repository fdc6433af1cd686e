// One cold start as Lambda runs it: INIT (Node's start-up and the bundle's import, top-level await
// included) at full speed, then a pause while the parent moves this process under the CPU quota,
// then the first request (the invoke). Usage: node lambda-model-child.mjs <bundle file URL>.
import {
  benchEvent,
  cpuMs,
  lambdaContext,
  peakRssMb,
  report,
  signalInitAndAwaitInvoke,
} from "./child-support.mjs";

const event = benchEvent();
const { handler } = await import(process.argv[2]);
// performance.now() counts from the process's start: this is Lambda's INIT duration, runtime included.
const initMs = performance.now();
const initCpuMs = cpuMs();

await signalInitAndAwaitInvoke();
const context = lambdaContext();
const invokedAt = performance.now();
const invokeCpu = process.cpuUsage();
const response = await handler(event, context);

report("lambda", {
  initMs,
  initCpuMs,
  firstRequestMs: performance.now() - invokedAt,
  firstRequestCpuMs: cpuMs(invokeCpu),
  statusCode: response?.statusCode,
  peakRssMb: peakRssMb(),
});
// Lambda freezes the instance once it answered; nothing after the answer is part of the figures.
process.exit(0);
