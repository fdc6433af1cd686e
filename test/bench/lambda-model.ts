import { fileURLToPath } from "node:url";
import { type Bundle, perVariant, type Variant } from "./build-bundles.ts";
import type { ChildSetup } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import type { CpuQuota } from "./cpu-quota.ts";
import { type Latency, type LatencyProxy, type ProxyTls, startLatencyProxy } from "./latency-proxy.ts";
import { createLoopbackCertificate } from "./loopback-tls.ts";
import { type Summary, summarize } from "./stats.ts";
import type { Stubs } from "./stubs.ts";

const CHILD = fileURLToPath(new URL("./lambda-model-child.mjs", import.meta.url));

/** The network of the model: what each call costs beyond the loopback stub's own time. */
export interface ModelLatency {
  readonly secretsManager: Latency;
  readonly apideck: Latency;
}

/** Whether the model's latency was injected (over HTTPS, or why not), or why not at all. */
export type ModelNetwork =
  | { readonly applied: true; readonly https: true }
  | { readonly applied: true; readonly https: false; readonly reason: string }
  | { readonly applied: false; readonly reason: string };

/** One cold start in the model (lambda-model-child.mjs), plus what the parent counted. */
export interface LambdaRun {
  /** Node's start-up and the import, at full CPU: Lambda's INIT duration. */
  readonly initMs: number;
  readonly initCpuMs: number;
  /** The first invoke, under the CPU quota when one is applied. */
  readonly firstRequestMs: number;
  readonly firstRequestCpuMs: number;
  readonly statusCode: number;
  readonly peakRssMb: number;
  /** CFS periods in which the invoke ran out of quota; NaN without a quota. */
  readonly throttledPeriods: number;
  /** GetSecretValue requests the stub received from this process. */
  readonly secretReads: number;
}

/** A variant's model cold starts, summarised. */
export interface LambdaResult {
  readonly runs: readonly LambdaRun[];
  readonly initMs: Summary;
  readonly firstRequestMs: Summary;
  /** INIT + first request of the same run: what the first caller waits for. */
  readonly totalMs: Summary;
  readonly initCpuMs: Summary;
  readonly firstRequestCpuMs: Summary;
}

/** Options of {@link runLambdaModel}. */
export interface LambdaModelOptions {
  readonly runs: number;
  /** Unmeasured rounds first (page cache), as for the plain cold starts. */
  readonly warmupRounds: number;
  readonly latency: ModelLatency;
  readonly quota: CpuQuota;
  /** Where the loopback certificate may be written. */
  readonly scratchDir: string;
}

/**
 * Cold starts the way Lambda runs them: each variant's bundle in a fresh process whose INIT runs
 * at full speed and whose first invoke runs under the CPU quota (moved into the cgroup between
 * the two), against the stubs behind latency-injecting proxies that speak HTTPS, as the real
 * services do (plain HTTP where openssl is missing, no proxies where the IPv6 loopback is; either
 * said in the results). Variants take turns (ours, floor,
 * peer, limit, ours, ...) so that a noisy spell hits them alike; one process at a time.
 */
export async function runLambdaModel(
  bundles: readonly Bundle[],
  stubs: Stubs,
  child: ChildSetup,
  options: LambdaModelOptions,
): Promise<{ results: Record<Variant, LambdaResult>; network: ModelNetwork }> {
  const certificate = createLoopbackCertificate(options.scratchDir);
  const tls = "cert" in certificate ? certificate : undefined;
  const proxies = await startProxies(stubs, options.latency, tls);
  const setup: ChildSetup =
    "secrets" in proxies
      ? {
          ...child,
          env: {
            ...child.env,
            AWS_ENDPOINT_URL_SECRETS_MANAGER: proxies.secrets.url,
            APIDECK_BASE_URL: proxies.apideck.url,
            ...(tls && { NODE_EXTRA_CA_CERTS: tls.certFile }),
          },
        }
      : child;
  const byVariant = new Map<Variant, LambdaRun[]>(bundles.map((b) => [b.variant, []]));
  try {
    for (let round = -options.warmupRounds; round < options.runs; round++) {
      for (const bundle of bundles) {
        const run = await modelColdStart(bundle, stubs, setup, options.quota);
        if (round >= 0) byVariant.get(bundle.variant)?.push(run);
      }
    }
  } finally {
    if ("secrets" in proxies) await Promise.all([proxies.secrets.close(), proxies.apideck.close()]);
  }
  const network: ModelNetwork = !("secrets" in proxies)
    ? { applied: false, reason: proxies.reason }
    : "reason" in certificate
      ? { applied: true, https: false, reason: certificate.reason }
      : { applied: true, https: true };
  const results = perVariant((variant) => {
    const runs = byVariant.get(variant) ?? [];
    return {
      runs,
      initMs: summarize(runs.map((r) => r.initMs)),
      firstRequestMs: summarize(runs.map((r) => r.firstRequestMs)),
      totalMs: summarize(runs.map((r) => r.initMs + r.firstRequestMs)),
      initCpuMs: summarize(runs.map((r) => r.initCpuMs)),
      firstRequestCpuMs: summarize(runs.map((r) => r.firstRequestCpuMs)),
    };
  });
  return { results, network };
}

/** Both proxies, or why there are none (no IPv6 loopback): the model then runs without latency. */
async function startProxies(
  stubs: Stubs,
  latency: ModelLatency,
  tls: ProxyTls | undefined,
): Promise<{ secrets: LatencyProxy; apideck: LatencyProxy } | { reason: string }> {
  try {
    const secrets = await startLatencyProxy(stubs.secrets.url, latency.secretsManager, tls);
    try {
      return { secrets, apideck: await startLatencyProxy(stubs.apideck.url, latency.apideck, tls) };
    } catch (error) {
      await secrets.close();
      throw error;
    }
  } catch (error) {
    return { reason: `no latency proxy on [::1]: ${(error as Error).message}` };
  }
}

/** One fresh process; it is moved under the quota when it reports INIT done, then told to invoke. */
async function modelColdStart(
  bundle: Bundle,
  stubs: Stubs,
  child: ChildSetup,
  quota: CpuQuota,
): Promise<LambdaRun> {
  const readsBefore = stubs.secrets.getSecretValueCalls;
  const throttledBefore = quota.applied ? quota.group.throttledPeriods() : Number.NaN;
  const { report } = await runChild<Omit<LambdaRun, "throttledPeriods" | "secretReads">>(
    CHILD,
    [bundle.url],
    {
      ...child,
      timeoutMs: 120_000,
      onEvent: (_name, pid) => {
        if (quota.applied) quota.group.addProcess(pid);
        process.kill(pid, "SIGUSR2");
      },
    },
  );
  stubs.apideck.reset();
  if (report.statusCode !== 200) {
    throw new Error(`${bundle.variant}: the first request answered ${report.statusCode}, not 200`);
  }
  return {
    initMs: report.initMs,
    initCpuMs: report.initCpuMs,
    firstRequestMs: report.firstRequestMs,
    firstRequestCpuMs: report.firstRequestCpuMs,
    statusCode: report.statusCode,
    peakRssMb: report.peakRssMb,
    throttledPeriods: quota.applied ? quota.group.throttledPeriods() - throttledBefore : Number.NaN,
    secretReads: stubs.secrets.getSecretValueCalls - readsBefore,
  };
}
