// autocannon 9 ships no types and @types/autocannon is not a dependency: this declares the part of
// its programmatic API the load test uses (see node_modules/autocannon/README.md, "API").
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  /** Options of one run; `amount` overrides `duration`, so a run ends after that many requests. */
  export interface Options {
    url: string;
    method?: "POST" | "GET";
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    amount?: number;
    /** Seconds a request may take before it counts as a timeout (an error). */
    timeout?: number;
    /** Sampling tick in ms; a run with `amount` only notices it is done at a tick. @default 1000 */
    sampleInt?: number;
  }

  /** An hdr-histogram summary: latency in ms, or requests and bytes per second. */
  export interface Histogram {
    average: number;
    min: number;
    max: number;
    p50: number;
    p99: number;
    /** Requests: completed requests; throughput: bytes. */
    total: number;
  }

  export interface Result {
    /** Seconds. */
    duration: number;
    /** Socket errors, timeouts included. */
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  export default function autocannon(
    options: Options,
    callback: (error: Error | null, result: Result) => void,
  ): Instance;
}
