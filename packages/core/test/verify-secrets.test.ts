// Secrets: rotation (any of several may match), misuse refused with TypeError at construction,
// several signatures per delivery, and unknown signature versions ignored.
import { createWebhookVerifier, hmac, type WebhookVerifierOptions } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, ed25519Keys, expectWebhookError, SCHEME_CASES, signCase, T0 } from './verify-cases'

const body = '{"type":"ping","id":"evt_1"}'

describe.each(CRYPTOS)('secret rotation (%s crypto)', (_name, crypto) => {
  describe.each(SCHEME_CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const current = c.verifySecret ?? c.secret
    const other = c.wrongSecret

    it('verifies with any secret of the list, in any position', async () => {
      const headers = await signCase(c, crypto, body)
      for (const secret of [[current], [other, current], [current, other], [other, other, current]]) {
        const verifier = createWebhookVerifier({ scheme: c.scheme, secret, crypto, now: () => T0 * 1000 })
        await expect(verifier.verify({ headers, body })).resolves.toBeDefined()
      }
    })

    it('refuses when no secret of the list matches', async () => {
      const headers = await signCase(c, crypto, body)
      const verifier = createWebhookVerifier({ scheme: c.scheme, secret: [other], crypto, now: () => T0 * 1000 })
      await expectWebhookError(verifier.verify({ headers, body }), 'signature_mismatch', [c.secret, other])
    })
  })
})

describe.each(CRYPTOS)('several signatures and versions (%s crypto)', (_name, crypto) => {
  const sw = SCHEME_CASES[0] as (typeof SCHEME_CASES)[number]
  const verifier = createWebhookVerifier({ scheme: 'standard-webhooks', secret: sw.secret, crypto, now: () => T0 * 1000 })

  it('standard-webhooks: any v1 entry may match; unknown versions are ignored', async () => {
    const good = (await signCase(sw, crypto, body))['webhook-signature'] ?? ''
    const stale = (await signCase(sw, crypto, body, { secret: sw.wrongSecret }))['webhook-signature'] ?? ''
    const base = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(T0) }
    for (const list of [`${stale} ${good}`, `${good} ${stale}`, `v2,whatever ${good}`, `${good} v1b,${'A'.repeat(10)} x9,y`]) {
      await expect(verifier.verify({ headers: { ...base, 'webhook-signature': list }, body })).resolves.toBeDefined()
    }
    await expectWebhookError(
      verifier.verify({ headers: { ...base, 'webhook-signature': `${stale} v2,${good.slice(3)}` }, body }),
      'signature_mismatch',
    )
    await expectWebhookError(
      verifier.verify({ headers: { ...base, 'webhook-signature': `v2,${good.slice(3)}` }, body }),
      'malformed_header',
    )
  })

  it('stripe: any v1 entry may match; v0 and unknown keys are ignored; a second t= is malformed', async () => {
    const c = SCHEME_CASES.find((x) => x.label === 'stripe')
    if (!c) throw new Error('no stripe case')
    const stripeVerifier = createWebhookVerifier({ scheme: 'stripe', secret: c.secret, crypto, now: () => T0 * 1000 })
    const good = (await signCase(c, crypto, body))['stripe-signature']?.split(',v1=')[1] ?? ''
    const stale = (await signCase(c, crypto, body, { secret: c.wrongSecret }))['stripe-signature']?.split(',v1=')[1] ?? ''
    for (const header of [`t=${T0},v1=${stale},v1=${good}`, `t=${T0},v0=${stale},v1=${good},v2=zzz`, `v1=${good},t=${T0}`]) {
      await expect(stripeVerifier.verify({ headers: { 'stripe-signature': header }, body })).resolves.toBeDefined()
    }
    await expectWebhookError(stripeVerifier.verify({ headers: { 'stripe-signature': `t=${T0},v0=${good}` }, body }), 'malformed_header')
    await expectWebhookError(
      stripeVerifier.verify({ headers: { 'stripe-signature': `t=${T0},t=${T0},v1=${good}` }, body }),
      'malformed_header',
    )
    await expectWebhookError(stripeVerifier.verify({ headers: { 'stripe-signature': `v1=${good}` }, body }), 'malformed_header')
  })
})

describe('misuse is a TypeError at construction', () => {
  const base: WebhookVerifierOptions = { scheme: 'standard-webhooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }
  const { secretKey, publicKey } = ed25519Keys()

  it.each([
    ['no secret', { secret: undefined }],
    ['an empty secret', { secret: '' }],
    ['an empty list', { secret: [] }],
    ['a list with an empty secret', { secret: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', ''] }],
    ['a number', { secret: 42 }],
    ['a list with a number', { secret: [42] }],
    ['a whsec_ that is not base64', { secret: 'whsec_not base64!' }],
    ['a whsec_ with a trailing newline', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n' }],
    ['a whpk_ of the wrong length', { secret: 'whpk_AAAA' }],
    ['a whsk_ private key (verify with the whpk_)', { secret: secretKey }],
    ['an unknown scheme', { scheme: 'paypal' }],
    ['a scheme that is not a scheme', { scheme: { name: 'x' } }],
    ['a scheme object without decodeSecret', { scheme: { name: 'x', read: () => ({ signatures: [] }), content: () => [] } }],
    ['a negative tolerance', { toleranceSeconds: -1 }],
    ['a NaN tolerance', { toleranceSeconds: Number.NaN }],
    ['a string tolerance', { toleranceSeconds: '300' }],
    ['a clock that is not a function', { now: 1_750_000_000_000 }],
    ['a hex secret that is not hex', { scheme: hmac({ signatureHeader: 'x-sig', secretEncoding: 'hex' }), secret: 'xyz' }],
    ['a base64 secret that is not base64', { scheme: hmac({ signatureHeader: 'x-sig', secretEncoding: 'base64' }), secret: '@@@@' }],
  ])('%s', (_what, change) => {
    const options = { ...base, ...change } as unknown as WebhookVerifierOptions
    const run = () => createWebhookVerifier(options)
    expect(run).toThrow(TypeError)
    expect(run).toThrow(/^@hookguard\/core: /)
    // The message names what is wrong, never the secret itself.
    try {
      run()
    } catch (error) {
      const secrets = [options.secret].flat().filter((s): s is string => typeof s === 'string' && s.length > 6)
      for (const secret of secrets) expect((error as Error).message).not.toContain(secret)
    }
  })

  it('accepts a whpk_ public key, an unprefixed base64 secret and a url-safe one', () => {
    for (const secret of [publicKey, 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_-_-_MfKQ9r8GKYqrTwjUPD8ILPZIo2La']) {
      expect(() => createWebhookVerifier({ ...base, secret })).not.toThrow()
    }
  })

  it.each([
    ['no signatureHeader', {}],
    ['a template without ${body}', { signatureHeader: 'x', template: '${id}' }],
    ['${id} without an idHeader', { signatureHeader: 'x', template: '${id}.${body}' }],
    ['${timestamp} without a timestampHeader', { signatureHeader: 'x', template: '${timestamp}.${body}' }],
    ['an unknown algorithm', { signatureHeader: 'x', algorithm: 'md5' }],
    ['an unknown encoding', { signatureHeader: 'x', encoding: 'base32' }],
  ])('hmac() with %s', (_what, options) => {
    expect(() => hmac(options as never)).toThrow(TypeError)
  })
})
