import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error — plain ESM runner shared with the other runtimes
import { runMatrix } from '../src/matrix.mjs'

interface Report {
  runtime: string
  version: string
  results: Array<{ name: string; ok: boolean; detail?: unknown }>
  bundle?: { nodeImports: string[]; nodeCryptoBuild: string[]; mentionsCreateHmac: boolean }
}

const RUNTIMES = ['Node (node:crypto)', 'Node (Web Crypto)', 'Bun', 'Deno', 'Cloudflare workerd (Miniflare)', 'Vercel Edge (edge-runtime)']

describe('runtime matrix: the built packages, resolved by each runtime', () => {
  let reports: Report[]
  beforeAll(async () => {
    reports = await runMatrix()
    for (const r of reports) console.log(`${r.runtime} ${r.version}: ${r.results.filter((x) => x.ok).length}/${r.results.length} passed`)
  })

  it('ran on all six runtime configurations with the same set of cases', () => {
    expect(reports.map((r) => r.runtime)).toEqual(RUNTIMES)
    const names = reports[0]!.results.map((r) => r.name)
    expect(names.length).toBeGreaterThan(40)
    for (const r of reports) expect(r.results.map((x) => x.name)).toEqual(names)
  })

  it.each(RUNTIMES)('%s passes every case (interop vectors, bad input, pipeline, Hono)', (runtime) => {
    const report = reports.find((r) => r.runtime === runtime)!
    const failures = report.results.filter((r) => !r.ok)
    expect(failures).toEqual([])
  })

  it.each(['Cloudflare workerd (Miniflare)', 'Vercel Edge (edge-runtime)'])(
    '%s loads a bundle with no node: module and no sync HMAC path',
    (runtime) => {
      const report = reports.find((r) => r.runtime === runtime)!
      expect(report.bundle).toBeDefined()
      expect(report.bundle!.nodeImports).toEqual([])
      expect(report.bundle!.nodeCryptoBuild).toEqual([])
      expect(report.bundle!.mentionsCreateHmac).toBe(false)
    },
  )
})
