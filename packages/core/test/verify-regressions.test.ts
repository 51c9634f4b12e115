// One test per bug the verification tests found (in the first implementation, or on the way),
// named after the bug, on both crypto implementations.
import { createWebhookVerifier, sign, token } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError, SCHEME_CASES, signCase, T0 } from './verify-cases'

const body = '{"id":"evt_1","type":"ping"}'
const stripeCase = SCHEME_CASES.find((c) => c.label === 'stripe')
const githubCase = SCHEME_CASES.find((c) => c.label === 'github')
const swCase = SCHEME_CASES.find((c) => c.label === 'standard-webhooks v1')
if (!stripeCase || !githubCase || !swCase) throw new Error('missing cases')

describe.each(CRYPTOS)('regressions (%s crypto)', (_name, crypto) => {
  const at = (c: typeof stripeCase, now = T0) =>
    createWebhookVerifier({ scheme: c.scheme, secret: c.secret, crypto, now: () => now * 1000 })

  it('a Stripe-Signature sent twice (a Headers joins it as "t=…,v1=…, t=…,v1=…") verified on its first t=', async () => {
    const headers = new Headers(await signCase(stripeCase, crypto, body))
    headers.append('stripe-signature', headers.get('stripe-signature') ?? '')
    await expectWebhookError(at(stripeCase).verify({ headers, body }), 'malformed_header')
  })

  it('Stripe-Signature keys: spaces after a comma are tolerated, U+00A0 is not (String#trim would eat it)', async () => {
    const headers = await signCase(stripeCase, crypto, body)
    await expectWebhookError(
      at(stripeCase).verify({ headers: { 'stripe-signature': `\u00a0${headers['stripe-signature']}` }, body }),
      'malformed_header',
    )
    // Plain spaces after a comma stay tolerated, as stripe-node tolerates them for its metadata.
    const spaced = (headers['stripe-signature'] ?? '').replace(',', ', ')
    await expect(at(stripeCase).verify({ headers: { 'stripe-signature': spaced }, body })).resolves.toBeDefined()
  })

  it('a timestamp with a leading zero was parsed, then signed content re-printed it without the zero', async () => {
    const headers = await signCase(swCase, crypto, body)
    await expectWebhookError(at(swCase).verify({ headers: { ...headers, 'webhook-timestamp': `0${T0}` }, body }), 'malformed_header')
  })

  it('a Map of headers was mistaken for a Headers, and an array value in it crashed with a TypeError', async () => {
    const headers = await signCase(githubCase, crypto, body)
    const map = new Map<string, unknown>(Object.entries(headers))
    await expect(at(githubCase).verify({ headers: map as never, body })).resolves.toBeDefined()
    map.set('X-Hub-Signature-256', [headers['x-hub-signature-256'], headers['x-hub-signature-256']])
    await expectWebhookError(at(githubCase).verify({ headers: map as never, body }), 'malformed_header')
  })

  it('a token padded with NUL bytes matched the token (HMAC zero-pads short keys)', async () => {
    const verifier = createWebhookVerifier({ scheme: token(), secret: 'new-token', crypto })
    await expect(verifier.verify({ headers: { 'x-webhook-token': 'new-token' }, body })).resolves.toBeDefined()
    await expectWebhookError(verifier.verify({ headers: { 'x-webhook-token': 'new-token\u0000' }, body }), 'signature_mismatch', [
      'new-token',
    ])
  })

  it('a now() returning NaN accepted every timestamp', async () => {
    const old = await signCase(swCase, crypto, body, { timestamp: 1 })
    const verifier = createWebhookVerifier({ scheme: swCase.scheme, secret: swCase.secret, crypto, now: () => Number.NaN })
    await expect(verifier.verify({ headers: old, body })).rejects.toThrow(TypeError)
  })

  it('sign() signed over a fractional timestamp that no verifier accepts', async () => {
    await expect(sign({ scheme: 'stripe', secret: 'whsec_x', body, crypto, timestamp: T0 + 0.5 })).rejects.toThrow(TypeError)
  })

  it('a header value that was not text produced "sent undefined times"', async () => {
    const error = await expectWebhookError(
      at(githubCase).verify({ headers: { 'x-hub-signature-256': 7 as never }, body }),
      'malformed_header',
    )
    expect(error.message).toBe('@hookguard/core: the x-hub-signature-256 header is not text.')
  })
})

it('a module export named `then` made `import("@hookguard/core")` reject (namespace became a thenable)', async () => {
  const core = await import('@hookguard/core')
  expect(typeof core.createWebhookVerifier).toBe('function')
  expect('then' in core).toBe(false)
})
