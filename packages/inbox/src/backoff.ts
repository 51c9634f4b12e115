/** Options for the retry schedule. */
export interface BackoffOptions {
  /** The delay before the first retry (ms). @default 1_000 */
  baseMs?: number
  /** The longest delay (ms). @default 3_600_000 (one hour) */
  maxMs?: number
  /** Growth per attempt. @default 2 */
  factor?: number
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of a
 * burst that failed together spread out (a recovering dependency is not hit by all of them at
 * once) while each one still waits at least half its step.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 1_000
  const max = options.maxMs ?? 3_600_000
  const factor = options.factor ?? 2
  const step = Math.min(max, base * factor ** Math.max(0, attempt - 1))
  return Math.round(step / 2 + random() * (step / 2))
}
