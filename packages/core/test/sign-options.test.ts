// sign(): the headers a provider would send, defaults, and misuse refused with TypeError.
import { createHmac } from 'node:crypto'
import { createWebhookVerifier, SCHEME_NAMES, sign } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, SCHEME_CASES, signCase, T0 } from './verify-cases'

const body = '{"type":"ping"}'

describe.each(CRYPTOS)('sign() (%s crypto)', (_name, crypto) => {
  it('writes exactly the headers each built-in scheme sends, plus content-type', async () => {
    const written: Record<string, string[]> = {}
    for (const scheme of SCHEME_NAMES) {
      const c = SCHEME_CASES.find((x) => x.scheme === scheme)
      written[scheme] = Object.keys(await sign({ scheme, secret: c?.secret ?? 'secret', body, crypto, type: 'issues.opened' })).sort()
    }
    expect(written).toEqual({
      'standard-webhooks': ['content-type', 'webhook-id', 'webhook-signature', 'webhook-timestamp'],
      stripe: ['content-type', 'stripe-signature'],
      github: ['content-type', 'x-github-delivery', 'x-github-event', 'x-hub-signature-256'],
      slack: ['content-type', 'x-slack-request-timestamp', 'x-slack-signature'],
      shopify: ['content-type', 'x-shopify-hmac-sha256', 'x-shopify-topic', 'x-shopify-webhook-id'],
      token: ['content-type', 'x-webhook-token'],
    })
  })

  it('defaults: a random UUID id, the current second, application/json; all overridable', async () => {
    const before = Math.floor(Date.now() / 1000)
    const a = await sign({ scheme: 'standard-webhooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', body, crypto })
    const b = await sign({ scheme: 'standard-webhooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', body, crypto })
    const after = Math.floor(Date.now() / 1000)
    expect(a['webhook-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a['webhook-id']).not.toBe(b['webhook-id'])
    expect(Number(a['webhook-timestamp'])).toBeGreaterThanOrEqual(before)
    expect(Number(a['webhook-timestamp'])).toBeLessThanOrEqual(after)
    expect(a['content-type']).toBe('application/json')
    const custom = await sign({
      scheme: 'slack',
      secret: 's',
      body,
      crypto,
      timestamp: 42,
      contentType: 'application/x-www-form-urlencoded',
    })
    expect(custom).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': '42',
      'x-slack-signature': `v0=${createHmac('sha256', 's').update(`v0:42:${body}`).digest('hex')}`,
    })
  })

  it('signs the same bytes from a string, a Uint8Array and an ArrayBuffer', async () => {
    const bytes = new TextEncoder().encode(body)
    const c = SCHEME_CASES[2] as (typeof SCHEME_CASES)[number]
    const outputs = await Promise.all([body, bytes, bytes.buffer.slice(0)].map((b) => signCase(c, crypto, b)))
    expect(new Set(outputs.map((h) => JSON.stringify(h))).size).toBe(1)
  })

  it('node and web crypto produce identical headers for every scheme', async () => {
    for (const c of SCHEME_CASES) {
      const [node, web] = await Promise.all(CRYPTOS.map(([, impl]) => signCase(c, impl, body)))
      expect(web).toEqual(node)
      const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => T0 * 1000 })
      await expect(verifier.verify({ headers: node as Record<string, string>, body })).resolves.toBeDefined()
    }
  })

  it.each([
    ['a fractional timestamp', { timestamp: 1.5 }],
    ['a negative timestamp', { timestamp: -1 }],
    ['a NaN timestamp', { timestamp: Number.NaN }],
    ['a timestamp in milliseconds beyond 12 digits', { timestamp: 1_750_000_000_000 }],
    ['an empty id', { id: '' }],
    ['no secret', { secret: undefined }],
    ['an empty secret list', { secret: [] }],
    ['an empty secret', { secret: '' }],
    ['an unknown scheme', { scheme: 'paypal' }],
    ['a parsed object as body', { body: { type: 'ping' } }],
  ])('refuses %s', async (_what, change) => {
    const options = { scheme: 'stripe', secret: 'whsec_x', body, crypto, ...change } as never
    await expect(sign(options)).rejects.toThrow(/^@hookguard\/core: /)
  })
})
