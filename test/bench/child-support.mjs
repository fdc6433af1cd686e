// Shared by the two child scripts. Plain JavaScript on purpose: a `.ts` child would make Node load
// its type stripper before the bundle, which adds time and RSS that Lambda never pays.

/** The HTTP API event every variant serves, passed as JSON in `BENCH_EVENT` so no file is read. */
export function benchEvent() {
  return JSON.parse(process.env.BENCH_EVENT ?? "null");
}

let invocations = 0;

/**
 * A Lambda context like the runtime's: 30 s to go (the function's timeout), a fresh request id.
 * Middy and our deadline read `getRemainingTimeInMillis`, so it must tick.
 */
export function lambdaContext() {
  invocations += 1;
  // The function's timeout; the instruction count gives a slowed process more room (instructions.ts).
  const deadline = Date.now() + Number(process.env.BENCH_CONTEXT_TIMEOUT_MS ?? "30000");
  return {
    functionName: "vault-session-broker",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:vault-session-broker",
    memoryLimitInMB: "256",
    awsRequestId: `bench-${process.pid}-${invocations}`,
    logGroupName: "/aws/lambda/vault-session-broker",
    logStreamName: "bench",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done() {},
    fail() {},
    succeed() {},
  };
}

/**
 * Writes the result as the one line of stdout that starts with `{"bench":`; the handler's own log
 * lines go to stdout too and the parent skips them.
 */
export function report(kind, result) {
  process.stdout.write(`${JSON.stringify({ bench: kind, ...result })}\n`);
}

/** Peak resident set size of this process so far, in megabytes (`maxRSS` is in kilobytes). */
export function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Tells the parent that INIT is over (a `{"benchEvent":"init"}` line) and waits for SIGUSR2, its
 * go for the invoke: in between, the parent moves this process into the CPU-quota cgroup. The
 * handler is installed before the line is written, so the signal cannot come too early; a timer
 * keeps the event loop alive meanwhile (a signal listener alone does not).
 */
export function signalInitAndAwaitInvoke() {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 60_000);
    process.once("SIGUSR2", () => {
      clearInterval(keepAlive);
      resolve();
    });
    process.stdout.write('{"benchEvent":"init"}\n');
  });
}

/** CPU time of this process (all threads, user + system) in milliseconds since `since`. */
export function cpuMs(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}
