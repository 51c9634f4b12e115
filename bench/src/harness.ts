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
  /** Paired ratios against the baseline(s) named in `compare(…, baselines)`. */
  paired?: Record<string, PairedRatio>
}

/** The median of many back-to-back batch-time ratios (candidate ÷ baseline), and its 10th–90th percentile. */
export interface PairedRatio {
  ratio: number
  p10: number
  p90: number
  pairs: number
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
export async function compare(
  candidates: readonly Candidate[],
  options: CompareOptions,
  /** Candidate name → the baseline name(s) to take paired ratios against. */
  baselines: Record<string, string | string[]> = {},
): Promise<Measured[]> {
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
  const measured: Measured[] = candidates.map((c, i) => ({
    name: c.name,
    kind: c.kind,
    ...(c.note ? { note: c.note } : {}),
    medianNs: median(rounds[i] as number[]),
    roundsNs: rounds[i] as number[],
  }))
  for (const [i, c] of candidates.entries()) {
    for (const name of [baselines[c.name] ?? []].flat()) {
      const base = candidates.find((b) => b.name === name)
      if (!base) throw new Error(`no baseline named "${name}"`)
      const m = measured[i] as Measured
      m.paired = { ...m.paired, [name]: await pairedRatio(c, base, options) }
    }
  }
  return measured
}

async function isAsync(c: Candidate): Promise<boolean> {
  const result = c.fn(c.arg?.())
  if (!(result instanceof Promise)) return false
  await result
  return true
}

/** Times `n` calls; sync functions are not awaited (an await would bill them a microtask each). */
async function batch(c: Candidate, n: number, isAsync: boolean): Promise<number> {
  const args = c.arg ? Array.from({ length: n }, () => c.arg?.()) : undefined
  const fn = c.fn
  const t0 = performance.now()
  if (isAsync) for (let i = 0; i < n; i++) await fn(args?.[i])
  else for (let i = 0; i < n; i++) fn(args?.[i])
  return performance.now() - t0
}

/**
 * The ratio that survives a shared, noisy machine: candidate and baseline run in alternating
 * back-to-back batches of the same size (~0.3 ms of baseline work each), so both see the same
 * load from moment to moment; the median of the per-pair ratios discards the pairs a spike hit.
 */
export async function pairedRatio(c: Candidate, base: Candidate, options: CompareOptions): Promise<PairedRatio> {
  const cAsync = await isAsync(c)
  const bAsync = await isAsync(base)
  // Calibrate: how many baseline calls make ~0.3 ms.
  let n = 1
  while (n < 1 << 16 && (await batch(base, n, bAsync)) < 0.3) n *= 2
  const ratios: number[] = []
  const minPairs = options.smoke ? 2 : 21
  const maxPairs = options.smoke ? 2 : 201
  const budgetMs = options.smoke ? 0 : 400
  const started = performance.now()
  for (let pair = 0; pair < maxPairs && (pair < minPairs || performance.now() - started < budgetMs); pair++) {
    let tc: number
    let tb: number
    if (pair % 2 === 0) {
      tb = await batch(base, n, bAsync)
      tc = await batch(c, n, cAsync)
    } else {
      tc = await batch(c, n, cAsync)
      tb = await batch(base, n, bAsync)
    }
    ratios.push(tc / tb)
  }
  ratios.sort((a, b) => a - b)
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))] as number
  return { ratio: median(ratios), p10: at(0.1), p90: at(0.9), pairs: ratios.length }
}

/** The median over rounds of the per-round ratio (same round, same conditions), and its spread. */
export function ratioOf(candidate: Measured, baseline: Measured): { ratio: number; min: number; max: number } {
  const ratios = candidate.roundsNs.map((ns, i) => ns / (baseline.roundsNs[i] as number))
  return { ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) }
}
