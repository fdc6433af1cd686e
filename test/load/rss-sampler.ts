/** How the process's resident memory moved during a phase, from samples every `RSS_SAMPLE_MS`. */
export interface RssSummary {
  readonly samples: number;
  readonly firstHalfMeanMb: number;
  readonly secondHalfMeanMb: number;
  /** Second-half mean over first-half mean, in percent: a leak grows it phase after phase. */
  readonly growthPct: number;
  readonly peakMb: number;
}

/** The sampling interval. */
export const RSS_SAMPLE_MS = 250;

/**
 * Samples `process.memoryUsage().rss` every `RSS_SAMPLE_MS` until `stop()`, which returns the
 * summary. Halves rather than first-vs-last sample, so one GC pause or spike does not decide it.
 */
export function startRssSampler(): { stop(): RssSummary } {
  const samples: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      samples.push(process.memoryUsage().rss);
      return summarize(samples);
    },
  };
}

/** Splits `samples` (bytes, in order) into halves; an odd middle sample goes to neither. */
export function summarize(samples: readonly number[]): RssSummary {
  const half = Math.floor(samples.length / 2);
  const first = mean(samples.slice(0, half));
  const second = mean(samples.slice(samples.length - half));
  return {
    samples: samples.length,
    firstHalfMeanMb: toMb(first),
    secondHalfMeanMb: toMb(second),
    growthPct: first > 0 ? ((second - first) / first) * 100 : 0,
    peakMb: toMb(Math.max(...samples)),
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function toMb(bytes: number): number {
  return bytes / 2 ** 20;
}
