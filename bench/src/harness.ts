import { measure } from 'mitata'

/** One contestant: a function mitata times, and a check that it really did the work. */
export interface Candidate {
  name: string
  /** Who this is (hookguard, the raw limit, a peer), for the tables. */
  kind: 'hookguard' | 'limit' | 'peer'
  /** What it does beyond verifying, e.g. "parses", "sync", "web". */
  note?: string
  fn: (arg?: any) => unknown
  /** Produces a fresh argument per call, outside the timed region (mitata `params`). */
  arg?: () => unknown
  /** Throws if one call's result shows the candidate took a failure path. */
  check?: (result: unknown) => void
}

export interface Measured {
  name: string
  kind: Candidate['kind']
  note?: string
  /** Median ns per call over the rounds' medians. */
  medianNs: number
  /** Each round's median (ns per call). */
  roundsNs: number[]
}

export interface CompareOptions {
  rounds: number
  /** mitata's `min_cpu_time` per candidate per round, in ms. */
  minCpuMs: number
  smoke?: boolean
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Runs each candidate once and lets its check throw: a bench that measures an error path is worthless. */
export async function assertWorks(candidates: readonly Candidate[]): Promise<void> {
  for (const c of candidates) {
    let result: unknown
    try {
      result = await c.fn(c.arg?.())
      c.check?.(result)
    } catch (error) {
      throw new Error(`bench candidate "${c.name}" failed its correctness check: ${(error as Error)?.message ?? error}`, { cause: error })
    }
  }
}

/**
 * Times every candidate in `rounds` interleaved passes (the order rotates each round), so a noisy
 * neighbour slows all of them alike instead of whichever happened to run during the spike.
 */
export async function compare(candidates: readonly Candidate[], options: CompareOptions): Promise<Measured[]> {
  await assertWorks(candidates)
  const rounds: number[][] = candidates.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < candidates.length; i++) {
      const index = (i + round) % candidates.length
      const c = candidates[index] as Candidate
      const opts = {
        min_cpu_time: options.minCpuMs * 1e6,
        // mitata batches fast functions 4096 calls per sample and wants ≥ 12 samples, i.e. ≥ 1 s
        // for a 20 µs call whatever min_cpu_time says; 256 calls per sample keeps the budget honest.
        batch_samples: 256,
        // The smoke test only proves each candidate runs: a few short samples are enough.
        ...(options.smoke ? { min_samples: 2, batch_samples: 16, max_samples: 4 } : {}),
      }
      // mitata's generator form: `0` makes a fresh argument per call, outside the timed region.
      const stats = c.arg
        ? await measure(function* () {
            yield { 0: c.arg, bench: (x: unknown) => c.fn(x) }
          }, opts as never)
        : await measure(() => c.fn(), opts as never)
      ;(rounds[index] as number[]).push(stats.p50)
    }
  }
  return candidates.map((c, i) => ({
    name: c.name,
    kind: c.kind,
    ...(c.note ? { note: c.note } : {}),
    medianNs: median(rounds[i] as number[]),
    roundsNs: rounds[i] as number[],
  }))
}

/** The median over rounds of the per-round ratio (same round, same conditions), and its spread. */
export function ratioOf(candidate: Measured, baseline: Measured): { ratio: number; min: number; max: number } {
  const ratios = candidate.roundsNs.map((ns, i) => ns / (baseline.roundsNs[i] as number))
  return { ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) }
}
