/**
 * A sample's summary: the median (which the targets compare), the spread around it (quartiles and
 * extremes), and p99 for latency. Milliseconds or megabytes, whatever the samples were.
 */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The `p`-th percentile (0 to 100) of ascending `sorted` samples, by linear interpolation between
 * the two nearest ranks, so the median of an even count is the mean of the middle two.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low);
}

/** Summarises samples in any order; an empty sample gives NaN everywhere, which the table prints as "n/a". */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p25: percentile(sorted, 25),
    p75: percentile(sorted, 75),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** `a / b`, or NaN when `b` is not a positive number (a ratio against nothing means nothing). */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}
