// Small statistics helpers for the pipeline benchmark.

/** The value at percentile `p` (0–100) by the nearest-rank method: always an observed sample. */
export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median (mean of the two middle samples for an even count). */
export function median(samples) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Summary of a set of durations in milliseconds. */
export function summarize(samples) {
  return { count: samples.length, median: median(samples), p95: percentile(samples, 95), min: Math.min(...samples), max: Math.max(...samples) };
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
