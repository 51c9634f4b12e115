import { type Measured, ratioOf } from './harness'
import type { SectionResult } from './types'

export interface ResultsFile {
  machine: { node: string; nproc: number; cpu: string; shaExtensions: boolean; platform: string }
  date: string
  options: { rounds: number; minCpuMs: number }
  sections: Record<string, SectionResult & { date: string }>
}

export function renderResults(file: ResultsFile): string {
  const lines: string[] = ['# hookguard benchmark results', '']
  for (const section of Object.values(file.sections)) {
    lines.push(`## ${section.section}`, '')
    for (const g of section.groups ?? []) {
      lines.push(`### ${g.title}`, '', '| candidate | median | ratio |', '|---|---:|---:|')
      const byName = new Map(g.results.map((r) => [r.name, r]))
      for (const r of g.results) {
        const base = byName.get(g.baselines[r.name] ?? '') as Measured | undefined
        const ratio = base ? ratioOf(r, base) : undefined
        lines.push(
          `| ${r.name} | ${formatNs(r.medianNs)} | ${ratio ? `${ratio.ratio.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : '—'} |`,
        )
      }
      lines.push('')
    }
  }
  return `${lines.join('\n')}\n`
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}
