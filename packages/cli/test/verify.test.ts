import { createHmac } from 'node:crypto'
import { sign } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { cli, tempDir } from './helpers'

const file = await tempDir()
const payload = { id: 'evt_1', type: 'invoice.paid', data: { customer: 'Zoë', url: 'https://example.test/a', amount: 4200 } }
const compact = JSON.stringify(payload)
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const T = 1_750_000_000
let n = 0

/** Writes headers and body files and runs `hookguard verify --json` on them. */
async function verify(options: { scheme: string; secret: string; headers: Record<string, string> | string; body: string; now?: number }) {
  n++
  const headers = typeof options.headers === 'string' ? options.headers : JSON.stringify(options.headers)
  const args = [
    'verify',
    '-s',
    options.scheme,
    '-k',
    options.secret,
    '--headers',
    await file(`h${n}.txt`, headers),
    '-b',
    await file(`b${n}.bin`, options.body),
  ]
  const run = await cli([...args, '--now', String(options.now ?? T + 10), '--json'])
  return { ...run, diagnosis: run.stdout ? JSON.parse(run.stdout) : undefined }
}

describe('hookguard verify', () => {
  it('verifies a genuine delivery (exit 0) from "Name: value" lines with a request line', async () => {
    const headers = await sign({ scheme: 'stripe', secret: 'whsec_v', body: compact, timestamp: T })
    const text = `POST /webhooks HTTP/1.1\nHost: localhost:3000\nContent-Type: application/json\nStripe-Signature: ${headers['stripe-signature']}\n\n`
    const run = await verify({ scheme: 'stripe', secret: 'whsec_v', headers: text, body: compact })
    expect(run.code, run.stderr).toBe(0)
    expect(run.diagnosis).toMatchObject({ verified: true, delivery: { id: 'evt_1', type: 'invoice.paid', timestamp: T }, causes: [] })
  })

  describe('a re-serialised body: says which serialisation was signed', () => {
    it.each([
      ['compact JSON, 2-space indented on arrival', compact, JSON.stringify(payload, null, 2), 'compact JSON'],
      ['2-space JSON, compact on arrival', JSON.stringify(payload, null, 2), compact, '2-space indented JSON'],
      [
        "Python's json.dumps (', ' separators and \\u escapes)",
        JSON.stringify(payload).replaceAll('","', '", "').replaceAll('":', '": ').replaceAll(',"', ', "').replace('ë', '\\u00eb'),
        compact,
        "JSON with ', ' and ': ' separators (Python json.dumps), non-ASCII written as \\u escapes",
      ],
      [
        'sorted keys',
        JSON.stringify({ data: { amount: 4200, customer: 'Zoë', url: 'https://example.test/a' }, id: 'evt_1', type: 'invoice.paid' }),
        compact,
        'compact JSON, keys sorted',
      ],
      ['a trailing newline the receiver lost', `${compact}\n`, compact, 'the same body with a trailing newline'],
      ['a trailing newline an editor added', compact, `${compact}\n`, 'the same body without its trailing newline'],
    ])('%s', async (_name, signedBody, receivedBody, form) => {
      const headers = await sign({ scheme: 'standard-webhooks', secret: SW_SECRET, body: signedBody, timestamp: T, id: 'msg_1' })
      const run = await verify({ scheme: 'standard-webhooks', secret: SW_SECRET, headers, body: receivedBody })
      expect(run.code).toBe(1)
      expect(run.diagnosis.code).toBe('signature_mismatch')
      expect(run.diagnosis.causes[0]).toMatchObject({ kind: 'body_reserialised', form })
    })
  })

  describe('a secret in the wrong format', () => {
    it('a Stripe secret without its whsec_ prefix', async () => {
      const headers = await sign({ scheme: 'stripe', secret: 'whsec_abc123', body: compact, timestamp: T })
      const run = await verify({ scheme: 'stripe', secret: 'abc123', headers, body: compact })
      expect(run.code).toBe(1)
      expect(run.diagnosis.causes[0]).toMatchObject({ kind: 'secret_format', variant: 'whsec_ prefix added' })
      expect(run.diagnosis.causes[0].message).toMatch(/missing its whsec_ prefix/)
    })

    it('a Standard Webhooks base64 secret the sender used raw, as text', async () => {
      const id = 'msg_raw'
      const mac = createHmac('sha256', SW_SECRET).update(`${id}.${T}.${compact}`).digest('base64')
      const headers = { 'webhook-id': id, 'webhook-timestamp': String(T), 'webhook-signature': `v1,${mac}` }
      const run = await verify({ scheme: 'standard-webhooks', secret: SW_SECRET, headers, body: compact })
      expect(run.code).toBe(1)
      expect(run.diagnosis.causes[0]).toMatchObject({ kind: 'secret_format', variant: 'used as text' })
      expect(run.diagnosis.causes[0].message).toMatch(/base64 secret used raw/)
      // The secret itself never appears in the output.
      expect(run.stdout).not.toContain(SW_SECRET)
    })

    it('a secret with a trailing newline copied from a file', async () => {
      const headers = await sign({ scheme: 'github', secret: 'gh-secret', body: compact })
      const run = await verify({ scheme: 'github', secret: 'gh-secret\n', headers, body: compact })
      expect(run.code).toBe(1)
      expect(run.diagnosis.causes[0]).toMatchObject({ kind: 'secret_format', variant: 'trimmed' })
    })

    it('a secret the scheme cannot use at all', async () => {
      const headers = await sign({ scheme: 'standard-webhooks', secret: SW_SECRET, body: compact, timestamp: T })
      const run = await verify({ scheme: 'standard-webhooks', secret: 'whsec_***', headers, body: compact })
      expect(run.code).toBe(1)
      expect(run.diagnosis.causes[0]).toMatchObject({ kind: 'secret_format', variant: 'invalid' })
      expect(run.diagnosis.causes[0].message).toMatch(/not base64/)
    })
  })

  describe('timestamp skew, and by how much', () => {
    it('a delivery signed an hour before --now', async () => {
      const headers = await sign({ scheme: 'stripe', secret: 'whsec_t', body: compact, timestamp: T })
      const run = await verify({ scheme: 'stripe', secret: 'whsec_t', headers, body: compact, now: (T + 3600) * 1000 })
      expect(run.code).toBe(1)
      expect(run.diagnosis.code).toBe('timestamp_expired')
      expect(run.diagnosis.causes).toEqual([
        expect.objectContaining({
          kind: 'timestamp_skew',
          direction: 'past',
          seconds: 3600,
          toleranceSeconds: 300,
          signedAt: '2025-06-15T15:06:40.000Z',
        }),
      ])
      expect(run.diagnosis.causes[0].message).toMatch(`--now ${T}`)
    })

    it('a delivery stamped 15 minutes in the future', async () => {
      const headers = await sign({ scheme: 'standard-webhooks', secret: SW_SECRET, body: compact, timestamp: T + 900 })
      const run = await verify({ scheme: 'standard-webhooks', secret: SW_SECRET, headers, body: compact })
      expect(run.diagnosis.causes[0]).toMatchObject({ kind: 'timestamp_skew', direction: 'future', seconds: 890 })
    })

    it('--now accepts an ISO date and then the same delivery verifies', async () => {
      const headers = await sign({ scheme: 'stripe', secret: 'whsec_t', body: compact, timestamp: T })
      const h = await file('iso.json', JSON.stringify(headers))
      const b = await file('iso.bin', compact)
      const run = await cli([
        'verify',
        '-s',
        'stripe',
        '-k',
        'whsec_t',
        '--headers',
        h,
        '-b',
        b,
        '--now',
        new Date(T * 1000 + 60_000).toISOString(),
      ])
      expect(run.code, run.stdout).toBe(0)
      expect(run.stdout).toMatch(/✓ verified stripe \(id evt_1, type invoice.paid/)
    })
  })

  describe('headers of another scheme', () => {
    it('GitHub headers checked as Stripe: names GitHub, and that they verify with it', async () => {
      const headers = await sign({ scheme: 'github', secret: 'shared', body: compact, type: 'push' })
      const run = await verify({ scheme: 'stripe', secret: 'shared', headers, body: compact })
      expect(run.code).toBe(1)
      expect(run.diagnosis.code).toBe('missing_header')
      expect(run.diagnosis.causes[0]).toMatchObject({
        kind: 'wrong_scheme',
        scheme: 'github',
        header: 'x-hub-signature-256',
        verifies: true,
      })
      expect(run.diagnosis.causes[1]).toMatchObject({ kind: 'header', header: 'stripe-signature' })
    })

    it('Svix headers with another secret: still says whose headers they look like', async () => {
      const headers = await sign({ scheme: 'standard-webhooks', secret: SW_SECRET, body: compact, timestamp: T })
      const svix = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.replace('webhook-', 'svix-'), v]))
      const run = await verify({ scheme: 'shopify', secret: 'something-else', headers: svix, body: compact })
      expect(run.diagnosis.causes[0]).toMatchObject({
        kind: 'wrong_scheme',
        scheme: 'standard-webhooks',
        header: 'svix-signature',
        verifies: false,
      })
    })
  })

  it('a plain wrong secret: says so when nothing else explains it', async () => {
    const headers = await sign({ scheme: 'stripe', secret: 'whsec_one', body: compact, timestamp: T })
    const run = await verify({ scheme: 'stripe', secret: 'whsec_two', headers, body: compact })
    expect(run.code).toBe(1)
    expect(run.diagnosis.causes).toEqual([expect.objectContaining({ kind: 'unknown' })])
  })

  it('prints the verdict and the most likely cause for people', async () => {
    const headers = await sign({ scheme: 'stripe', secret: 'whsec_p', body: compact, timestamp: T })
    const h = await file(
      'people.txt',
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n'),
    )
    const b = await file('people.bin', JSON.stringify(payload, null, 2))
    const run = await cli(['verify', '-s', 'stripe', '-k', 'whsec_p', '--headers', h, '-b', b, '--now', String(T)])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/✗ not verified: signature_mismatch \(HTTP 401\)/)
    expect(run.stdout).toMatch(/Most likely cause \[body_reserialised\]:\n {2}the signature matches compact JSON, not the bytes you have/)
  })

  it('exits 2 for a headers file that is neither lines nor JSON', async () => {
    const h = await file('bad.txt', 'this is not a header\n')
    const b = await file('bad.bin', compact)
    const run = await cli(['verify', '-s', 'stripe', '-k', 'x', '--headers', h, '-b', b])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/line 1 of the headers file is not "Name: value"/)
  })
})
