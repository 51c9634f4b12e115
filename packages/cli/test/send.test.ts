import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { cli, listen, receiver, tempDir } from './helpers'

const file = await tempDir()
const body = '{"id":"evt_1","type":"invoice.paid","data":{"amount":4200}}'
const bodyPath = await file('payload.json', body)
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/webhooks`
}

describe('hookguard send (one delivery)', () => {
  it('POSTs a signed delivery and prints status, code and latency', async () => {
    const { url, handled } = await receiver({ scheme: 'stripe', secret: 'whsec_send' })
    const run = await cli(['send', url, '-s', 'stripe', '-k', 'whsec_send', '-b', bodyPath])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^200 {2}ok {2}\d+(\.\d)? ms$/m)
    expect(handled).toEqual([{ id: 'evt_1', type: 'invoice.paid', payload: JSON.parse(body) }])
  })

  it('--json reports the refusal and exits 1 when the receiver says no', async () => {
    const { url, handled } = await receiver({ scheme: 'stripe', secret: 'whsec_right' })
    const run = await cli(['send', url, '-s', 'stripe', '-k', 'whsec_wrong', '-b', bodyPath, '--json'])
    expect(run.code).toBe(1)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({ ok: false, status: 401, code: 'signature_mismatch' })
    expect(result.latencyMs).toBeGreaterThan(0)
    expect(handled).toEqual([])
  })

  it('sends --type and extra --header values', async () => {
    let seen: Record<string, unknown> = {}
    const { url } = await listen((req, res) => {
      seen = req.headers
      req.resume().on('end', () => res.writeHead(204).end())
    })
    const run = await cli(['send', url, '-s', 'github', '-k', 'gh', '-b', bodyPath, '--type', 'push', '-H', 'X-Trace: abc'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^204 {2}ok/)
    expect(seen).toMatchObject({
      'x-github-event': 'push',
      'x-trace': 'abc',
      'x-hub-signature-256': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    })
  })

  it('exits 1 with network_error when nothing listens', async () => {
    const run = await cli(['send', await closedPortUrl(), '-s', 'stripe', '-k', 'x', '-b', bodyPath, '--json'])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, status: 0, code: 'network_error', error: 'ECONNREFUSED' })
  })

  it('exits 2 for a URL that is not http(s)', async () => {
    const run = await cli(['send', 'ftp://example.test/', '-s', 'stripe', '-k', 'x', '-b', bodyPath])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/not an http\(s\) URL/)
  })
})

describe('hookguard send (load run)', () => {
  it('sends unique ids plus re-sent duplicates, which a hookguard receiver acknowledges', async () => {
    const { url, handled } = await receiver({ scheme: 'standard-webhooks', secret: SW_SECRET })
    const run = await cli([
      'send',
      url,
      '-s',
      'standard-webhooks',
      '-k',
      SW_SECRET,
      '-b',
      bodyPath,
      '-n',
      '40',
      '-c',
      '4',
      '-d',
      '25',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout)
    expect(summary).toMatchObject({
      unique: 40,
      requests: 50,
      statuses: { 200: 50 },
      codes: { ok: 40, duplicate: 10 },
      duplicates: { sent: 10, acknowledged: 10, reprocessed: 0, failed: 0 },
      failures: 0,
      ok: true,
    })
    expect(summary.latencyMs.p50).toBeGreaterThan(0)
    expect(summary.latencyMs.p50).toBeLessThanOrEqual(summary.latencyMs.p95)
    expect(summary.latencyMs.p95).toBeLessThanOrEqual(summary.latencyMs.p99)
    expect(summary.latencyMs.p99).toBeLessThanOrEqual(summary.latencyMs.max)
    // Every unique delivery ran the handler exactly once: the duplicates did not.
    expect(handled).toHaveLength(40)
    expect(new Set(handled.map((h) => h.id)).size).toBe(40)
  })

  it('counts duplicates a receiver without replay protection re-processes, and exits 1', async () => {
    const { url, handled } = await receiver({ scheme: 'standard-webhooks', secret: SW_SECRET, replay: false })
    const run = await cli([
      'send',
      url,
      '-s',
      'standard-webhooks',
      '-k',
      SW_SECRET,
      '-b',
      bodyPath,
      '-n',
      '20',
      '-c',
      '5',
      '-d',
      '50',
      '--json',
    ])
    expect(run.code).toBe(1)
    const summary = JSON.parse(run.stdout)
    expect(summary.duplicates).toEqual({ sent: 10, acknowledged: 0, reprocessed: 10, failed: 0 })
    expect(summary.ok).toBe(false)
    expect(handled).toHaveLength(30)
  })

  it("counts a receiver's 409 duplicate answers as acknowledged (onDuplicate: 'reject')", async () => {
    const { url, handled } = await receiver({ scheme: 'github', secret: 'gh', onDuplicate: 'reject' })
    const run = await cli(['send', url, '-s', 'github', '-k', 'gh', '-b', bodyPath, '--type', 'push', '-n', '10', '-d', '30', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout)
    expect(summary.statuses).toEqual({ 200: 10, 409: 3 })
    expect(summary.duplicates).toEqual({ sent: 3, acknowledged: 3, reprocessed: 0, failed: 0 })
    expect(handled).toHaveLength(10)
  })

  it('gives each Stripe delivery its own event id in the body (Stripe keys replays on it)', async () => {
    const { url, handled } = await receiver({ scheme: 'stripe', secret: 'whsec_load' })
    const run = await cli(['send', url, '-s', 'stripe', '-k', 'whsec_load', '-b', bodyPath, '-n', '12', '-d', '50', '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout).duplicates).toEqual({ sent: 6, acknowledged: 6, reprocessed: 0, failed: 0 })
    expect(new Set(handled.map((h) => h.id)).size).toBe(12)
    expect(handled.every((h) => (h.payload as { type: string }).type === 'invoice.paid')).toBe(true)
  })

  it('prints a summary with the status histogram and percentiles, and no progress bar off a TTY', async () => {
    const { url } = await receiver({ scheme: 'standard-webhooks', secret: SW_SECRET })
    const run = await cli(['send', url, '-s', 'standard-webhooks', '-k', SW_SECRET, '-b', bodyPath, '-n', '10', '-d', '20'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/12 requests \(10 unique \+ 2 duplicates\)/)
    expect(run.stdout).toMatch(/│ 200\s+│ ok\s+│\s+10 │\n│ 200\s+│ duplicate │\s+2 │/)
    expect(run.stdout).toMatch(/│ latency │\s+p50 │\s+p95 │\s+p99 │\s+max │\n│ ms\s+│\s+[\d.]+ │/)
    expect(run.stdout).toMatch(/^duplicates: 2 sent, 2 acknowledged, 0 re-processed, 0 failed$/m)
    expect(run.stderr).toBe('')
  })

  it('reports failures when the receiver refuses, and exits 1', async () => {
    const { url } = await receiver({ scheme: 'standard-webhooks', secret: SW_SECRET })
    const other = 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA=='
    const run = await cli(['send', url, '-s', 'standard-webhooks', '-k', other, '-b', bodyPath, '-n', '8', '-c', '2', '--json'])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({
      statuses: { 401: 8 },
      codes: { signature_mismatch: 8 },
      answers: [{ status: 401, code: 'signature_mismatch', count: 8 }],
      failures: 8,
      ok: false,
    })
  })
})
