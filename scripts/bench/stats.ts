/** Percentile (0..100) of `samples` by nearest rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** `p50 1.2 ms, p95 ..., p99 ...` for a list of millisecond samples. */
export function describeLatencies(samples: number[]): string {
  return [50, 95, 99].map((p) => `p${p} ${percentile(samples, p).toFixed(1)} ms`).join(", ");
}
