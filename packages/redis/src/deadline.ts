/**
 * Resolves with `work`, or rejects once `ms` pass without an answer: a hung Redis (paused, a
 * network partition, a client stuck reconnecting with its offline queue) must never hold a
 * webhook request past the provider's own timeout. The timer is cleared either way, so nothing
 * keeps the process alive. `onLate` runs if `work` resolves after the deadline.
 */
export function withDeadline<TValue>(work: Promise<TValue>, ms: number, what: string, onLate?: (value: TValue) => void): Promise<TValue> {
  return new Promise<TValue>((resolve, reject) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      reject(new Error(`@hookguard/redis: Redis did not answer ${what} within ${ms} ms`))
    }, ms)
    work.then(
      (value) => {
        clearTimeout(timer)
        if (timedOut) onLate?.(value)
        else resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        // After the deadline nobody listens any more; before it, the caller hears the cause.
        if (!timedOut) reject(new Error(`@hookguard/redis: ${what} failed: ${describe(error)}`, { cause: error }))
      },
    )
  })
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
