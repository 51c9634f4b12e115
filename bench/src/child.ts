// Runs one bench section in a fresh process and sends its result to the parent over IPC.
import type { BenchContext, SectionResult } from './types'

const [section, contextJson] = process.argv.slice(2)
const modules: Record<string, () => Promise<{ run(ctx: BenchContext): Promise<SectionResult> }>> = {
  verify: () => import('./verify'),
  parse: () => import('./parse'),
  pipeline: () => import('./pipeline'),
  http: () => import('./http'),
  redis: () => import('./redis'),
  memory: () => import('./memory'),
}

const load = section ? modules[section] : undefined
if (!load || !contextJson) {
  console.error(`usage: child.ts <${Object.keys(modules).join('|')}> <context json>`)
  process.exit(2)
}
const ctx = JSON.parse(contextJson) as BenchContext
const result = await (await load()).run(ctx)
process.send?.(result)
process.disconnect?.()
