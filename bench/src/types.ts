import type { Measured } from './harness'

/** How hard each bench works: the full run, or the smoke test's single quick pass. */
export interface BenchContext {
  smoke: boolean
  rounds: number
  /** mitata `min_cpu_time` per candidate per round (ms). */
  minCpuMs: number
  sizes: readonly { label: string; bytes: number }[]
  /** Extra arguments after the section name (e.g. the scheme a child measures). */
  args: string[]
}

/** One table: candidates timed side by side, with the baseline(s) their ratios are taken against. */
export interface ComparisonGroup {
  title: string
  scheme?: string
  size?: string
  /** Candidate name → the baseline name its ratio is computed against. */
  baselines: Record<string, string>
  results: Measured[]
}

export interface SectionResult {
  section: string
  groups?: ComparisonGroup[]
  /** Free-form rows (HTTP runs, memory figures) for the report. */
  data?: Record<string, unknown>
  /** Why (part of) the section was skipped, e.g. a package not built yet. */
  notes?: string[]
}
