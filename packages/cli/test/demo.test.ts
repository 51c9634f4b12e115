import { describe, expect, it } from 'vitest'
import { cli } from './helpers'

const EXPECTED = [
  ['valid delivery', 200, 'ok', 1],
  ['replay of the handled delivery', 200, 'duplicate', 1],
  ['tampered body', 401, 'signature_mismatch', 0],
  ['wrong secret', 401, 'signature_mismatch', 0],
  ['stale timestamp (10 min old)', 401, 'timestamp_expired', 0],
  ['future timestamp (10 min ahead)', 401, 'timestamp_in_future', 0],
  ['no signature headers', 400, 'missing_header', 0],
  ['handler fails (1st attempt)', 500, 'handler_failed', 1],
  ['provider retries it', 200, 'ok', 2],
  ['oversized body (256 KiB > 64 KiB)', 413, 'body_too_large', 0],
] as const

describe('hookguard demo', () => {
  it('prints its table with the status of every scripted delivery and exits 0', async () => {
    const run = await cli(['demo'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/receiver: Express \+ @hookguard\/express \+ memoryStore at http:\/\/127\.0\.0\.1:\d+\/webhooks/)
    const rows = run.stdout
      .split('\n')
      .filter((line) => /^│\s+\d+ │/.test(line))
      .map((line) => line.split('│').map((cell) => cell.trim()))
    // │ # │ scenario │ HTTP │ code │ handler runs │ ok │ what it shows │
    expect(rows.map(([, , scenario, status, code, runs, ok]) => [scenario, Number(status), code, Number(runs), ok])).toEqual(
      EXPECTED.map((row) => [...row, '✓']),
    )
    expect(run.stdout).toMatch(/✓ all 10 deliveries answered as expected/)
  })

  it.each(['stripe', 'slack'])('--json --scheme %s: the same outcomes with another timestamped scheme', async (scheme) => {
    const run = await cli(['demo', '--scheme', scheme, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report.scheme).toBe(scheme)
    expect(
      report.rows.map((r: { scenario: string; status: number; code: string; handlerRuns: number }) => [
        r.scenario,
        r.status,
        r.code,
        r.handlerRuns,
      ]),
    ).toEqual(EXPECTED.map((row) => [...row]))
    expect(report.ok).toBe(true)
  })
})
