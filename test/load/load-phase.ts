import autocannon, { type Result } from "autocannon";
import { AwsV4Signer } from "aws4fetch";
import type { AwsCredentials } from "../../infra/local/sigv4-verifier.ts";
import { type RssSummary, startRssSampler } from "./rss-sampler.ts";

/** What to fire at the local server in one phase. */
export interface PhaseOptions {
  /** The local gateway's base URL (loopback). */
  readonly url: string;
  /** Requests to complete; the phase ends after these. */
  readonly amount: number;
  readonly connections: number;
  /** Hard stop, so a wedged server cannot keep the run going: the phase is then marked `truncated`. */
  readonly maxDurationMs: number;
  /** The caller credentials and region the IAM route verifies SigV4 against. */
  readonly credentials: AwsCredentials;
  readonly region: string;
}

/** One phase's figures, as the report prints them. */
export interface PhaseFigures {
  readonly requests: number;
  readonly durationS: number;
  readonly throughputRps: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Answers outside 2xx, by status. */
  readonly non2xx: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Connection errors and timeouts: the server never answered. */
  readonly socketErrors: number;
  readonly truncated: boolean;
  readonly rss: RssSummary;
}

/** The request every phase sends: the README's curl example for the IAM route. */
const REQUEST = {
  method: "POST",
  path: "/vault/sessions",
  headers: { "content-type": "application/json", "x-apideck-consumer-id": "load-consumer" },
  body: JSON.stringify({ redirect_uri: "https://example.com/done" }),
} as const;

/**
 * Runs one bounded autocannon phase against the local server while sampling RSS. The request is
 * signed once at the start (SigV4, as a backend does): autocannon replays it, and a signature stays
 * valid for the 5 minutes of allowed skew, longer than a phase may run.
 */
export async function runPhase(options: PhaseOptions): Promise<PhaseFigures> {
  const signed = await new AwsV4Signer({
    ...REQUEST,
    url: `${options.url}${REQUEST.path}`,
    ...options.credentials,
    service: "execute-api",
    region: options.region,
  }).sign();
  const headers = Object.fromEntries(signed.headers);
  const rss = startRssSampler();
  let truncated = false;
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}${REQUEST.path}`,
        method: REQUEST.method,
        headers,
        body: REQUEST.body,
        connections: options.connections,
        amount: options.amount,
        timeout: 30,
        // A run with `amount` ends at the first tick after its last answer: 100 ms keeps the
        // measured duration (hence req/s) honest for short phases.
        sampleInt: 100,
      },
      (error, done) => {
        clearTimeout(guard);
        if (error) reject(error);
        else resolve(done);
      },
    );
    // `amount` overrides autocannon's own duration, so the time bound is ours.
    const guard = setTimeout(() => {
      truncated = true;
      instance.stop();
    }, options.maxDurationMs);
  });
  return toFigures(result, truncated, rss.stop());
}

function toFigures(result: Result, truncated: boolean, rss: RssSummary): PhaseFigures {
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]),
  );
  const requests = result.requests.total;
  return {
    requests,
    durationS: result.duration,
    throughputRps: result.duration > 0 ? requests / result.duration : 0,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    statusCounts,
    socketErrors: result.errors,
    truncated,
    rss,
  };
}
