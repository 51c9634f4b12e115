// Stripe interop with the published `stripe` library, both ways.
import { createWebhookVerifier, sign, stripe } from '@hookguard/core'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError } from './verify-cases'

const secret = 'whsec_test_4eC39HqLyjWDarjtT1zdp7dc'
const body = JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } })
const webhooks = new Stripe('sk_test_123').webhooks

describe.each(CRYPTOS)('stripe interop (%s crypto)', (_name, crypto) => {
  const nowSeconds = Math.floor(Date.now() / 1000)
  const verifier = createWebhookVerifier({ scheme: 'stripe', secret, crypto, now: () => nowSeconds * 1000 })

  it('verifies stripe.webhooks.generateTestHeaderString', async () => {
    const header = webhooks.generateTestHeaderString({ payload: body, secret, timestamp: nowSeconds })
    const delivery = await verifier.verify({ headers: { 'Stripe-Signature': header }, body })
    // Stripe's id and type live in the payload.
    expect(delivery).toMatchObject({ scheme: 'stripe', id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', type: 'invoice.paid', timestamp: nowSeconds })
  })

  it('rejects a stripe header for another secret or another body, without leaking the expected signature', async () => {
    const expected = webhooks.generateTestHeaderString({ payload: body, secret, timestamp: nowSeconds })
    const other = webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_other', timestamp: nowSeconds })
    await expectWebhookError(verifier.verify({ headers: { 'stripe-signature': other }, body }), 'signature_mismatch', [
      secret,
      expected.split('v1=')[1] ?? '',
    ])
    await expectWebhookError(verifier.verify({ headers: { 'stripe-signature': expected }, body: `${body} ` }), 'signature_mismatch', [
      secret,
    ])
  })

  it('accepts several v1 entries (a secret roll) and ignores v0', async () => {
    const good = webhooks.generateTestHeaderString({ payload: body, secret, timestamp: nowSeconds })
    const stale = webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_old', timestamp: nowSeconds })
    const header = `t=${nowSeconds},v1=${stale.split('v1=')[1]},v0=${'0'.repeat(64)},v1=${good.split('v1=')[1]}`
    await expect(verifier.verify({ headers: { 'stripe-signature': header }, body })).resolves.toBeDefined()
  })

  it('stripe.webhooks.constructEvent accepts what hookguard signs', async () => {
    const headers = await sign({ scheme: 'stripe', secret, body, crypto })
    const event = webhooks.constructEvent(body, headers['stripe-signature'] ?? '', secret)
    expect(event).toMatchObject({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', type: 'invoice.paid' })
    expect(webhooks.signature?.verifyHeader(Buffer.from(body), headers['stripe-signature'] ?? '', secret, 300)).toBe(true)
    expect(() => webhooks.constructEvent(body, headers['stripe-signature'] ?? '', 'whsec_wrong')).toThrow(/No signatures found/)
  })

  it('stripe verifies every v1 hookguard writes for several secrets', async () => {
    const headers = await sign({ scheme: 'stripe', secret: ['whsec_a', secret], body, crypto, timestamp: nowSeconds })
    expect(headers['stripe-signature']).toMatch(new RegExp(`^t=${nowSeconds},v1=[0-9a-f]{64},v1=[0-9a-f]{64}$`))
    expect(webhooks.constructEvent(body, headers['stripe-signature'] ?? '', secret).id).toBe('evt_1NG8Du2eZvKYlo2CUI79vXWy')
    expect(webhooks.constructEvent(body, headers['stripe-signature'] ?? '', 'whsec_a').id).toBe('evt_1NG8Du2eZvKYlo2CUI79vXWy')
  })

  it('is stricter than stripe-node: `t=abc` and an upper-case signature are malformed here', async () => {
    const header = webhooks.generateTestHeaderString({ payload: body, secret, timestamp: nowSeconds })
    const sig = header.split('v1=')[1] ?? ''
    await expectWebhookError(verifier.verify({ headers: { 'stripe-signature': `t=abc,v1=${sig}` }, body }), 'malformed_header', [secret])
    await expectWebhookError(
      verifier.verify({ headers: { 'stripe-signature': `t=${nowSeconds},v1=${sig.toUpperCase()}` }, body }),
      'malformed_header',
      [secret],
    )
  })

  it('rejects future timestamps beyond the tolerance (stripe-node only checks age)', async () => {
    const future = nowSeconds + 301
    const header = webhooks.generateTestHeaderString({ payload: body, secret, timestamp: future })
    expect(webhooks.signature?.verifyHeader(body, header, secret, 300)).toBe(true)
    await expectWebhookError(verifier.verify({ headers: { 'stripe-signature': header }, body }), 'timestamp_in_future')
    const lenient = createWebhookVerifier({ scheme: stripe({ toleranceSeconds: 301 }), secret, crypto, now: () => nowSeconds * 1000 })
    await expect(lenient.verify({ headers: { 'stripe-signature': header }, body })).resolves.toBeDefined()
  })
})
