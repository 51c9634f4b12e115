/**
 * Nearest-rank percentile (the definition load tools such as wrk report) of an ascending array.
 * A dependency for three lines of arithmetic would cost more than it saves.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

/** Milliseconds rounded for display and JSON: 0.1 ms resolution. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10
}
