// Renders results.json as bench/RESULTS.md: the targets as PASS/MISS rows first, then one table
// per bench. Every figure is a ratio measured in one process run; medians are shown for scale.
import { existsSync, readFileSync } from 'node:fs'
import { type Measured, median, ratioOf } from './harness'

/** The paired ratio when the bench took one (the robust figure), else the per-round one. */
function rel(m: Measured, base: Measured): { ratio: number; min: number; max: number } {
  const p = m.paired?.[base.name]
  return p ? { ratio: p.ratio, min: p.p10, max: p.p90 } : ratioOf(m, base)
}

import type { HttpRun } from './http'
import { BARE_VERIFY, HANDLE_MEMORY, HANDLE_NO_REPLAY, VERIFY_PARSE } from './pipeline'
import type { ComparisonGroup, SectionResult } from './types'
import { HG_NODE, HG_WEB } from './verify'

export interface ResultsFile {
  machine: { node: string; nproc: number; cpu: string; shaExtensions: boolean; platform: string; loadAverage?: [number, number] }
  date: string
  options: { rounds: number; minCpuMs: number }
  sections: Record<string, SectionResult & { date: string }>
}

const SIZE_ORDER = ['256 B', '4 KiB', '64 KiB', '1 MiB']

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}

const x = (ratio: number) => `${ratio.toFixed(2)}×`
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`

function find(group: ComparisonGroup, name: string): Measured | undefined {
  return group.results.find((r) => r.name === name)
}

/** A candidate's ratio to a named baseline in the same group (same process, same rounds). */
function ratio(group: ComparisonGroup, name: string, baseline = group.baselines[name]): number | undefined {
  const c = find(group, name)
  const b = baseline ? find(group, baseline) : undefined
  return c && b ? rel(c, b).ratio : undefined
}

interface Target {
  target: string
  measured: string
  pass: boolean | undefined
}

function targetRows(file: ResultsFile): Target[] {
  const rows: Target[] = []
  const verify = file.sections.verify?.groups ?? []
  const parse = file.sections.parse?.groups ?? []
  const schemes = [...new Set(verify.map((g) => g.scheme))]
  const check = (
    target: string,
    groups: ComparisonGroup[],
    name: string,
    limit: number,
    sizes: (s: string) => boolean,
    baseline?: string,
  ): Target => {
    const cells = groups
      .filter((g) => sizes(g.size ?? ''))
      .map((g) => ({ size: g.size, r: ratio(g, name, baseline) }))
      .filter((c) => c.r !== undefined) as { size: string; r: number }[]
    return {
      target,
      measured: cells.map((c) => `${c.size} ${x(c.r)}`).join(', ') || 'not measured',
      pass: cells.length ? cells.every((c) => c.r <= limit) : undefined,
    }
  }
  for (const scheme of schemes) {
    const groups = verify.filter((g) => g.scheme === scheme)
    rows.push(check(`${scheme}: verify, node:crypto ≤ 1.50× the limit at 256 B`, groups, HG_NODE, 1.5, (s) => s === '256 B'))
    rows.push(check(`${scheme}: verify, node:crypto ≤ 1.10× the limit at ≥ 4 KiB`, groups, HG_NODE, 1.1, (s) => s !== '256 B'))
    rows.push(check(`${scheme}: verify, Web Crypto ≤ 1.15× raw crypto.subtle`, groups, HG_WEB, 1.15, () => true))
  }
  for (const scheme of [...new Set(parse.map((g) => g.scheme))]) {
    const groups = parse.filter((g) => g.scheme === scheme)
    rows.push(
      check(
        `${scheme}: verify + parse ≤ 1.10× (raw HMAC + JSON.parse), node:crypto`,
        groups,
        'hookguard verify + .payload (node:crypto)',
        1.1,
        () => true,
      ),
    )
    // "Faster than every peer": hookguard's time below each peer's, size by size.
    const losses: string[] = []
    let compared = 0
    for (const g of groups) {
      const hg = 'hookguard verify + .payload (node:crypto)'
      const hgWeb = 'hookguard verify + .payload (Web Crypto)'
      for (const peer of g.results.filter((r) => r.kind === 'peer')) {
        const mine = g.baselines[peer.name]?.includes('subtle') ? hgWeb : hg
        // Both were paired against the same limit: their ratio of ratios compares them.
        const a = ratio(g, mine)
        const b = ratio(g, peer.name)
        if (a === undefined || b === undefined) continue
        compared++
        const r = a / b
        if (r >= 1) losses.push(`${peer.name} at ${g.size} (${x(r)})`)
      }
    }
    rows.push({
      target: `${scheme}: verify + parse faster than every peer at every size`,
      measured: compared ? (losses.length ? `slower than ${losses.join('; ')}` : `faster in all ${compared} comparisons`) : 'not measured',
      pass: compared ? losses.length === 0 : undefined,
    })
  }
  const pipeline = (file.sections.pipeline?.groups ?? []).find((g) => g.size === '4 KiB')
  if (pipeline) {
    const r = ratio(pipeline, HANDLE_MEMORY, BARE_VERIFY)
    const vsParse = ratio(pipeline, HANDLE_MEMORY, VERIFY_PARSE)
    rows.push({
      target: 'pipeline: handle() + memoryStore ≤ 1.25× bare verify at 4 KiB',
      measured: r === undefined ? 'not measured' : `${x(r)} (${vsParse === undefined ? '' : `${x(vsParse)} of verify + .payload`})`,
      pass: r === undefined ? undefined : r <= 1.25,
    })
  }
  const http = httpPairs(file)
  for (const pair of http) {
    rows.push({
      target: `HTTP ${pair.framework}: hookguard ≥ 0.90× the hand-written check's req/s`,
      measured: `${x(pair.rpsRatio)} req/s, p99 ${x(pair.p99Ratio)}${pair.rpsRatioParse === undefined ? '' : ` (vs hand + JSON.parse: ${x(pair.rpsRatioParse)} req/s, p99 ${x(pair.p99RatioParse ?? Number.NaN)})`}`,
      pass: pair.rpsRatio >= 0.9,
    })
  }
  const redis = (file.sections.redis?.groups ?? []).find((g) => g.title === 'redis one at a time')
  if (redis) {
    const r = ratio(redis, 'redisStore claim + complete')
    rows.push({
      target: 'Redis: claim + complete ≤ 2.5× a bare SET NX PX',
      measured: r === undefined ? '—' : x(r),
      pass: r === undefined ? undefined : r <= 2.5,
    })
  }
  return rows
}

interface HttpSide {
  rps: number
  p99: number
  p50: number
}
interface HttpPair {
  framework: string
  hand: HttpSide
  handParse?: HttpSide
  hookguard: HttpSide
  rpsRatio: number
  p99Ratio: number
  /** hookguard vs the hand-written check that also JSON.parses the body. */
  rpsRatioParse?: number
  p99RatioParse?: number
}

function httpPairs(file: ResultsFile): HttpPair[] {
  const http = file.sections.http?.data?.http as { runs: HttpRun[] } | undefined
  if (!http) return []
  const pairs: HttpPair[] = []
  for (const framework of [...new Set(http.runs.map((r) => r.framework))]) {
    const runsOf = (mode: string) => http.runs.filter((r) => r.framework === framework && r.mode === mode)
    const side = (mode: string) => ({
      rps: median(runsOf(mode).map((r) => r.reqPerSec)),
      p99: median(runsOf(mode).map((r) => r.p99Ms)),
      p50: median(runsOf(mode).map((r) => r.p50Ms)),
    })
    // Ratios within a cycle (the runs closest in time), then the median over cycles.
    const within = (mode: string, key: 'reqPerSec' | 'p99Ms') =>
      median(
        runsOf('hookguard').flatMap((h) => {
          const other = runsOf(mode).find((r) => (r.cycle ?? 0) === (h.cycle ?? 0))
          return other ? [h[key] / other[key]] : []
        }),
      )
    const pair: HttpPair = {
      framework,
      hand: side('hand'),
      hookguard: side('hookguard'),
      rpsRatio: within('hand', 'reqPerSec'),
      p99Ratio: within('hand', 'p99Ms'),
    }
    if (runsOf('hand-parse').length) {
      Object.assign(pair, {
        handParse: side('hand-parse'),
        rpsRatioParse: within('hand-parse', 'reqPerSec'),
        p99RatioParse: within('hand-parse', 'p99Ms'),
      })
    }
    pairs.push(pair)
  }
  return pairs
}

/** One table per scheme: candidates down, sizes across, each cell "ratio · median". */
function sizeTables(groups: ComparisonGroup[], intro: string): string[] {
  const lines: string[] = []
  for (const scheme of [...new Set(groups.map((g) => g.scheme))]) {
    const mine = groups
      .filter((g) => g.scheme === scheme)
      .sort((a, b) => SIZE_ORDER.indexOf(a.size ?? '') - SIZE_ORDER.indexOf(b.size ?? ''))
    const names = [...new Set(mine.flatMap((g) => g.results.map((r) => r.name)))]
    lines.push(`### ${scheme}`, '', intro, '')
    lines.push(`| candidate | vs | ${mine.map((g) => g.size).join(' | ')} |`, `|---|---|${mine.map(() => '---:').join('|')}|`)
    for (const name of names) {
      const baseline = mine.map((g) => g.baselines[name]).find(Boolean)
      const cells = mine.map((g) => {
        const m = find(g, name)
        if (!m) return '—'
        const base = g.baselines[name] ? find(g, g.baselines[name] as string) : undefined
        if (!base) return `**1.00×** · ${formatNs(m.medianNs)}`
        const r = rel(m, base)
        return `${x(r.ratio)} · ${formatNs(m.medianNs)}`
      })
      lines.push(`| ${name} | ${baseline ? (baseline.includes('subtle') ? 'subtle' : 'node') : '—'} | ${cells.join(' | ')} |`)
    }
    lines.push('')
  }
  return lines
}

/** hookguard's time ÷ each peer's, size by size (both paired against the same limit): below 1 is hookguard ahead. */
function peerTable(groups: ComparisonGroup[], hgNode: string, hgWeb: string): string[] {
  const sizes = SIZE_ORDER.filter((size) => groups.some((g) => g.size === size))
  const lines = [
    'hookguard ÷ peer, time per call (below 1.00× hookguard is faster; node:crypto vs node peers, Web Crypto vs Web Crypto peers):',
    '',
    `| scheme | peer | ${sizes.join(' | ')} |`,
    `|---|---|${sizes.map(() => '---:').join('|')}|`,
  ]
  const peers = [...new Set(groups.flatMap((g) => g.results.filter((r) => r.kind === 'peer').map((r) => `${g.scheme}\u0000${r.name}`)))]
  for (const entry of peers) {
    const [scheme, peer] = entry.split('\u0000') as [string, string]
    const cells = sizes.map((size) => {
      const g = groups.find((x) => x.scheme === scheme && x.size === size)
      if (!g) return '—'
      const mine = g.baselines[peer]?.includes('subtle') ? hgWeb : hgNode
      const a = ratio(g, mine)
      const b = ratio(g, peer)
      return a === undefined || b === undefined ? '—' : x(a / b)
    })
    lines.push(`| ${scheme} | ${peer} | ${cells.join(' | ')} |`)
  }
  return [...lines, '']
}

function spreadNote(groups: ComparisonGroup[]): string {
  let worst = 0
  let where = ''
  for (const g of groups) {
    for (const r of g.results) {
      const base = g.baselines[r.name] ? find(g, g.baselines[r.name] as string) : undefined
      if (!base) continue
      const s = rel(r, base)
      const swing = Math.max(s.max / s.ratio, s.ratio / s.min)
      if (swing > worst) {
        worst = swing
        where = `${r.name}, ${g.scheme ?? ''} ${g.size ?? ''}`.trim()
      }
    }
  }
  return `Noise: the widest 10th–90th percentile band of any paired ratio is ±${((worst - 1) * 100).toFixed(0)}% around its median (${where}); results.json keeps every figure.`
}

export function renderResults(file: ResultsFile, notesPath?: string): string {
  const m = file.machine
  const out: string[] = [
    '# hookguard benchmark results',
    '',
    '<!-- Generated by `pnpm bench` (bench/src/report.ts); edit bench/what-limits-it.md for the analysis. -->',
    '',
    `- Machine: ${m.cpu}, ${m.nproc} CPUs (nproc), SHA extensions: ${m.shaExtensions ? 'yes' : 'no'}, ${m.platform}; shared with other work while measured${m.loadAverage ? ` (1-minute load average ${m.loadAverage[0]} at the start, ${m.loadAverage[1]} at the end)` : ''}.`,
    `- Node ${m.node}; run ${file.date.slice(0, 16).replace('T', ' ')} UTC (per-section dates in results.json).`,
    `- Method: every candidate of a table runs in the same process. Times: mitata, interleaved over ${file.options.rounds} rounds (the order rotates each round) with ≥ ${file.options.minCpuMs} ms of samples per round; a time is the median of the per-round medians, shown only for scale. Ratios: paired, the candidate and its baseline alternate in back-to-back batches of the same number of calls (≈ 0.3 ms of baseline work each, 21–201 pairs), and the ratio is the median of the per-pair ratios, so both sides always share the same moment of machine load.`,
    '- Ratios read "× the time of the baseline": below 1.00× is faster. `vs node` = the node:crypto limit (or its + JSON.parse variant), `vs subtle` = the raw Web Crypto limit.',
    '',
    '## Targets',
    '',
    '| target | measured | result |',
    '|---|---|---|',
  ]
  for (const row of targetRows(file)) {
    out.push(`| ${row.target} | ${row.measured} | ${row.pass === undefined ? 'not run' : row.pass ? 'PASS' : '**MISS**'} |`)
  }
  out.push('', 'Every MISS is explained, with its profile, under "What limits it" below.', '')

  const verify = file.sections.verify
  if (verify?.groups?.length) {
    out.push(
      '## 1. Verification only',
      '',
      'The limit is a hand-written check on the same bytes and headers: read the header, decode the signature, one HMAC over the signed content, a constant-time compare (bench/src/limits.ts). hookguard also validates every header strictly, checks the timestamp and returns a delivery object; its payload is parsed lazily, so nothing is parsed here. Peers are called as their READMEs show, on the Buffer a server hands over.',
      '',
      ...sizeTables(verify.groups, 'Each cell: time ratio to the limit · median per call.'),
      ...peerTable(verify.groups, HG_NODE, HG_WEB),
      spreadNote(verify.groups),
      '',
    )
  }
  const parse = file.sections.parse
  if (parse?.groups?.length) {
    out.push(
      '## 2. Verify + parse',
      '',
      "hookguard's verify with `.payload` read (UTF-8 validated, then JSON.parse) vs the limit + `JSON.parse(body.toString())`, and vs the peers that return the parsed event (or verify + JSON.parse where the peer does not parse).",
      '',
      ...sizeTables(parse.groups, 'Each cell: time ratio to limit + JSON.parse · median per call.'),
      ...peerTable(parse.groups, 'hookguard verify + .payload (node:crypto)', 'hookguard verify + .payload (Web Crypto)'),
      spreadNote(parse.groups),
      '',
    )
  }
  const pipeline = file.sections.pipeline
  if (pipeline?.groups?.length) {
    out.push(
      '## 3. Pipeline',
      '',
      "`createWebhookHandler` (standard-webhooks, one `on('invoice.paid')` handler) end to end through `handle()`: read, verify, parse, claim, route, complete, answer. Each call has a fresh id and signature, made outside the timed region, so the store claims and completes for real.",
      '',
      `| candidate | ${pipeline.groups.map((g) => g.size).join(' | ')} |`,
      `|---|${pipeline.groups.map(() => '---:').join('|')}|`,
    )
    const names = [...new Set(pipeline.groups.flatMap((g) => g.results.map((r) => r.name)))]
    for (const name of names) {
      const cells = pipeline.groups.map((g) => {
        const me = find(g, name)
        if (!me) return '—'
        const vs = g.baselines[name]
        const r = ratio(g, name)
        const extra =
          name === HANDLE_MEMORY || name === HANDLE_NO_REPLAY
            ? `, ${x(ratio(g, name, VERIFY_PARSE) ?? Number.NaN)} of verify + .payload`
            : ''
        return r === undefined
          ? formatNs(me.medianNs)
          : `${x(r)} of ${vs === BARE_VERIFY ? 'bare verify' : 'the limit'}${extra} · ${formatNs(me.medianNs)}`
      })
      out.push(`| ${name} | ${cells.join(' | ')} |`)
    }
    out.push('', spreadNote(pipeline.groups), '')
  }
  const httpSection = file.sections.http
  if (httpSection) {
    const http = httpSection.data?.http as { connections: number; bodyBytes: number; seconds: number; cycles?: number } | undefined
    out.push('## 4. HTTP', '')
    if (http) {
      out.push(
        `autocannon (programmatic), ${http.connections} connections, ${http.bodyBytes}-byte standard-webhooks deliveries with a fresh id and signature per request, against a server in its own process on 127.0.0.1. Each framework runs three servers: **hand** (raw body + one HMAC compare, no timestamp, replay or size checks), **hand + parse** (the same, then \`JSON.parse\`, as any handler that reads the event must) and **hookguard** (the adapter's endpoint: the whole pipeline with the in-memory replay store, routing to one \`on()\` handler). The servers take turns in ${http.cycles ?? 2} cycles of ${http.seconds} s runs (the order rotating each cycle, after a 1 s warm-up of each); req/s and p99 are medians over the cycles, and each ratio is the median of the within-cycle ratios. The load generator (autocannon, signing every request) runs in the bench process, on the other core. \`node\` is core's \`hooks.handle()\` on plain node:http.`,
        '',
        '| framework | hand req/s | hand + parse req/s | hookguard req/s | hookguard ÷ hand | hookguard ÷ (hand + parse) | p99 hand / + parse / hookguard | p99 ratio ÷ hand |',
        '|---|---:|---:|---:|---:|---:|---:|---:|',
      )
      for (const p of httpPairs(file)) {
        out.push(
          `| ${p.framework} | ${p.hand.rps.toFixed(0)} | ${p.handParse ? p.handParse.rps.toFixed(0) : '—'} | ${p.hookguard.rps.toFixed(0)} | ${x(p.rpsRatio)} | ${p.rpsRatioParse === undefined ? '—' : x(p.rpsRatioParse)} | ${p.hand.p99.toFixed(1)} / ${p.handParse ? p.handParse.p99.toFixed(1) : '—'} / ${p.hookguard.p99.toFixed(1)} ms | ${x(p.p99Ratio)} |`,
        )
      }
    }
    for (const note of httpSection.notes ?? []) out.push('', `> ${note}`)
    out.push('')
  }
  const redis = file.sections.redis
  if (redis) {
    out.push('## 5. Redis replay store', '')
    if (redis.groups?.length) {
      out.push(
        '`@hookguard/redis` `redisStore({ client })` on one ioredis connection: claim (SET NX PX) + complete (a token-checked Lua script) per delivery vs one bare `SET key 1 NX PX` on the same connection; awaited one at a time (round-trip bound), and 32 in flight.',
        '',
        '| candidate | ratio | median per call |',
        '|---|---:|---:|',
      )
      for (const g of redis.groups) {
        for (const r of g.results) {
          const rr = ratio(g, r.name)
          out.push(`| ${r.name} | ${rr === undefined ? '**1.00×**' : x(rr)} | ${formatNs(r.medianNs)} |`)
        }
      }
    }
    for (const note of redis.notes ?? []) out.push('', `> ${note}`)
    out.push('')
  }
  const memory = file.sections.memory?.data as
    | {
        store: { entries: number; bytesPerEntry: number; heapBytes: number }[]
        uploads: {
          server: string
          uploads: number
          uploadBytes: number
          baselineRssBytes: number
          maxRssBytes: number
          statuses: Record<string, number>
          bytesSentPerUpload: number[]
        }[]
      }
    | undefined
  if (memory) {
    out.push(
      '## 6. Memory',
      '',
      'memoryStore heap per entry (each entry one delivery claimed and completed, with the handler’s key and random-UUID token shapes; measured in a child with `--expose-gc`, keys and tokens included since the store keeps them alive):',
      '',
      '| entries | heap used | bytes per entry |',
      '|---:|---:|---:|',
      ...memory.store.map((s) => `| ${s.entries.toLocaleString('en-US')} | ${mb(s.heapBytes)} | ${s.bytesPerEntry.toFixed(0)} |`),
      '',
      'Peak RSS of a server receiving oversized chunked uploads at once (no Content-Length, so the limit is enforced while streaming), each server in its own child process:',
      '',
      '| server | uploads | RSS before | peak RSS | answers | sent per upload before the answer |',
      '|---|---|---:|---:|---|---:|',
      ...memory.uploads.map(
        (u) =>
          `| ${u.server === 'hookguard' ? 'node:http + hooks.handle(), maxBodyBytes 1 MiB' : 'naive: buffer the whole body, then check'} | ${u.uploads} × ${(u.uploadBytes / 1e6).toFixed(0)} MB | ${mb(u.baselineRssBytes)} | ${mb(u.maxRssBytes)} | ${Object.entries(
            u.statuses,
          )
            .map(([k, v]) => `${v}× ${u.server === 'naive' ? `read ${(Number(k) / 1e6).toFixed(0)} MB` : k}`)
            .join(', ')} | ${(Math.max(...u.bytesSentPerUpload) / 1e6).toFixed(1)} MB at most |`,
      ),
      '',
    )
  }
  if (notesPath && existsSync(notesPath)) out.push(readFileSync(notesPath, 'utf8').trim(), '')
  return `${out.join('\n')}\n`
}
