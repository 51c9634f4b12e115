// `pnpm bench [-- --only verify,parse] [--smoke] [--profile] [--rounds N]`
// Each section runs in its own process (a clean heap and JIT per comparison); this process only
// orchestrates and writes bench/RESULTS.md + bench/results.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { SCHEMES, SIZES } from './fixtures'
import { type ResultsFile, renderResults } from './report'
import { profileArgs, runChild } from './spawn'
import type { BenchContext, SectionResult } from './types'

const SECTIONS = ['verify', 'parse', 'pipeline', 'http', 'redis', 'memory'] as const
type Section = (typeof SECTIONS)[number]

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    only: { type: 'string', multiple: true },
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'min-cpu-ms': { type: 'string' },
    'report-only': { type: 'boolean', default: false },
  },
})

const benchDir = fileURLToPath(new URL('..', import.meta.url))
if (values['report-only']) {
  // Re-renders RESULTS.md from results.json (after editing the notes or the report's layout).
  const file = JSON.parse(readFileSync(`${benchDir}results.json`, 'utf8')) as ResultsFile
  writeFileSync(`${benchDir}RESULTS.md`, renderResults(file, `${benchDir}what-limits-it.md`))
  process.exit(0)
}

const only = (values.only ?? []).flatMap((v) => v.split(',')).filter(Boolean)
for (const name of only) {
  if (!SECTIONS.includes(name as Section)) {
    console.error(`unknown section "${name}"; choose from ${SECTIONS.join(', ')}`)
    process.exit(2)
  }
}
const selected = SECTIONS.filter((s) => only.length === 0 || only.includes(s))
const smoke = values.smoke === true
const ctx: Omit<BenchContext, 'args'> = {
  smoke,
  rounds: Number(values.rounds ?? (smoke ? 1 : 5)),
  minCpuMs: Number(values['min-cpu-ms'] ?? (smoke ? 2 : 30)),
  sizes: smoke ? SIZES.slice(0, 1) : SIZES,
}
const profileDir = `${benchDir}profiles`
if (values.profile) mkdirSync(profileDir, { recursive: true })
const execArgv = values.profile ? profileArgs(profileDir) : []

/** The child runs a section needs: verify and parse once per scheme, the rest once. */
function runsOf(section: Section): string[][] {
  if (section !== 'verify' && section !== 'parse') return [[]]
  // The smoke test saves process start-ups; the real run keeps one scheme per process.
  return smoke ? [[...SCHEMES]] : SCHEMES.map((s) => [s])
}

const started = Date.now()
const loadBefore = loadavg()[0] as number
const results: SectionResult[] = []
let failed = false
for (const section of selected) {
  const merged: SectionResult = { section, groups: [], notes: [], data: {} }
  for (const args of runsOf(section)) {
    const label = [section, ...args].join(' ')
    const t0 = Date.now()
    process.stdout.write(`▶ ${label} … `)
    try {
      const result = await runChild<SectionResult>('./child.ts', [section, JSON.stringify({ ...ctx, args })], {
        execArgv,
        timeoutMs: smoke ? 60_000 : 600_000,
      })
      merged.groups?.push(...(result.groups ?? []))
      merged.notes?.push(...(result.notes ?? []))
      Object.assign(merged.data as object, result.data)
      console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s${result.notes?.length ? ` (${result.notes.join('; ')})` : ''}`)
    } catch (error) {
      failed = true
      merged.notes?.push(`failed: ${(error as Error).message}`)
      console.log(`FAILED: ${(error as Error).message}`)
    }
  }
  results.push(merged)
}
const seconds = (Date.now() - started) / 1000
console.log(`\nall sections in ${seconds.toFixed(0)} s`)

if (smoke) {
  // The smoke test proves every bench still runs and every candidate still verifies; its numbers
  // (one round, tiny budgets) mean nothing, so it never overwrites the committed results.
  const ran = results.length
  const bad = results.filter((r) => r.notes?.some((n) => n.startsWith('failed'))).length
  console.log(`${ran - bad} passed, ${bad} failed`)
  process.exit(bad ? 1 : 0)
}

const jsonPath = `${benchDir}results.json`
const previous: ResultsFile | undefined = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : undefined
const file: ResultsFile = {
  machine: machineInfo(),
  date: new Date().toISOString(),
  options: { rounds: ctx.rounds, minCpuMs: ctx.minCpuMs },
  // A partial run (--only) replaces its sections and keeps the others from the last full run.
  sections: {
    ...(previous?.sections ?? {}),
    ...Object.fromEntries(results.map((r) => [r.section, { ...r, date: new Date().toISOString() }])),
  },
}
writeFileSync(jsonPath, `${JSON.stringify(file, null, 2)}\n`)
writeFileSync(`${benchDir}RESULTS.md`, renderResults(file, `${benchDir}what-limits-it.md`))
console.log(`wrote ${jsonPath} and RESULTS.md`)
if (failed) process.exit(1)

function machineInfo(): ResultsFile['machine'] {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]
  const flags = /^flags\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.split(' ') ?? []
  return {
    node: process.version,
    nproc: availableParallelism(),
    cpu: model ?? process.arch,
    shaExtensions: flags.includes('sha_ni'),
    platform: `${process.platform} ${process.arch}`,
    // The 1-minute load average before and after: how shared the machine was while measured.
    loadAverage: [Number(loadBefore.toFixed(1)), Number((loadavg()[0] as number).toFixed(1))],
  }
}
