import { mkdirSync } from "node:fs";
import { type Latency, type LatencyProxy, type ProxyTls, startLatencyProxy } from "./latency-proxy.ts";
import { createLoopbackCertificate } from "./loopback-tls.ts";
import type { Stubs } from "./stubs.ts";

/** What each stub's network adds to a call. */
export interface NetworkLatency {
  readonly secretsManager: Latency;
  readonly apideck: Latency;
}

/** Whether the network was put in front of the stubs (over HTTPS, or why not), or why not at all. */
export type NetworkRecord =
  | { readonly applied: true; readonly https: true }
  | { readonly applied: true; readonly https: false; readonly reason: string }
  | { readonly applied: false; readonly reason: string };

/** Proxies in front of both stubs, and the environment that points a child at them. */
export interface StubNetwork {
  /** Endpoint variables (and the trusted certificate) to lay over a child's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly record: NetworkRecord;
  /** What the proxies add from now on (one network per run: a proxy holds `[::1]` on the stub's port). */
  setLatency(latency: NetworkLatency): void;
  close(): Promise<void>;
}

/**
 * Puts latency-injecting proxies that speak HTTPS, as Secrets Manager and Apideck do, in front of
 * the loopback stubs: a one-day certificate for ::1 made in `dir`, trusted by the children through
 * `NODE_EXTRA_CA_CERTS`. Over plain HTTP where openssl is missing; no proxies (an empty `env`)
 * where the IPv6 loopback is; `record` says which. Never throws.
 */
export async function openStubNetwork(
  stubs: Stubs,
  latency: NetworkLatency,
  dir: string,
): Promise<StubNetwork> {
  mkdirSync(dir, { recursive: true });
  const certificate = createLoopbackCertificate(dir);
  const tls: ProxyTls | undefined = "cert" in certificate ? certificate : undefined;
  let secrets: LatencyProxy | undefined;
  try {
    secrets = await startLatencyProxy(stubs.secrets.url, latency.secretsManager, tls);
    const apideck = await startLatencyProxy(stubs.apideck.url, latency.apideck, tls);
    const opened = secrets;
    return {
      env: {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: opened.url,
        APIDECK_BASE_URL: apideck.url,
        ...("certFile" in certificate && { NODE_EXTRA_CA_CERTS: certificate.certFile }),
      },
      record:
        "reason" in certificate
          ? { applied: true, https: false, reason: certificate.reason }
          : { applied: true, https: true },
      setLatency: (next) => {
        opened.setLatency(next.secretsManager);
        apideck.setLatency(next.apideck);
      },
      close: async () => {
        await Promise.all([opened.close(), apideck.close()]);
      },
    };
  } catch (error) {
    await secrets?.close();
    return {
      env: {},
      record: { applied: false, reason: `no proxy on [::1]: ${(error as Error).message}` },
      setLatency: () => {},
      close: async () => {},
    };
  }
}

/** A network that adds nothing but TLS: for the cold starts at full CPU and the instruction count. */
export const NO_LATENCY: NetworkLatency = {
  secretsManager: { responseMs: 0, connectMs: 0 },
  apideck: { responseMs: 0, connectMs: 0 },
};
