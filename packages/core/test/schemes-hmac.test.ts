// The hmac({...}) builder against hand-computed node:crypto HMACs: algorithms, encodings, prefixes,
// templates, secret encodings, id/timestamp/type headers; plus the built-in factories' options.
import { createHmac } from 'node:crypto'
import {
  createWebhookVerifier,
  github,
  hmac,
  resolveScheme,
  SCHEME_NAMES,
  shopify,
  slack,
  standardWebhooks,
  stripe,
  token,
} from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError, T0 } from './verify-cases'

const body = '{"event":"message.created","msg":"你好"}'

describe.each(CRYPTOS)('hmac() builder (%s crypto)', (_name, crypto) => {
  const at = (scheme: ReturnType<typeof hmac>, secret: string) => createWebhookVerifier({ scheme, secret, crypto, now: () => T0 * 1000 })

  it('signs a custom template with literal text around the placeholders', async () => {
    const scheme = hmac({
      name: 'acme',
      signatureHeader: 'Acme-Sig',
      idHeader: 'Acme-Id',
      timestampHeader: 'Acme-Time',
      template: 'v1:${timestamp}:${id}:${body}',
    })
    const signature = createHmac('sha256', 'k').update(`v1:${T0}:evt_9:${body}`).digest('hex')
    const headers = { 'acme-sig': signature, 'acme-id': 'evt_9', 'acme-time': String(T0) }
    await expect(at(scheme, 'k').verify({ headers, body })).resolves.toMatchObject({
      scheme: 'acme',
      id: 'evt_9',
      timestamp: T0,
      type: undefined,
    })
  })

  it.each([
    ['sha1', 'hex', 'sha1='],
    ['sha256', 'base64', ''],
    ['sha512', 'hex', 'v1='],
    ['sha512', 'base64', 'sha512='],
  ] as const)('%s %s with prefix %j matches node:crypto', async (algorithm, encoding, prefix) => {
    const scheme = hmac({ signatureHeader: 'x-sig', algorithm, encoding, prefix })
    const signature = prefix + createHmac(algorithm, 'secret').update(body).digest(encoding)
    await expect(at(scheme, 'secret').verify({ headers: { 'x-sig': signature }, body })).resolves.toBeDefined()
    // Another algorithm's digest has the wrong length: malformed, not a mismatch.
    const wrongLength =
      prefix +
      createHmac(algorithm === 'sha1' ? 'sha256' : 'sha1', 'secret')
        .update(body)
        .digest(encoding)
    await expectWebhookError(at(scheme, 'secret').verify({ headers: { 'x-sig': wrongLength }, body }), 'malformed_header', ['secret'])
    if (prefix) {
      await expectWebhookError(
        at(scheme, 'secret').verify({ headers: { 'x-sig': signature.slice(prefix.length) }, body }),
        'malformed_header',
      )
    }
  })

  it('decodes hex and base64 secrets into key bytes', async () => {
    const key = Buffer.from('00ff10ee20dd30cc40bb50aa60997088', 'hex')
    const signature = createHmac('sha256', key).update(body).digest('hex')
    const hex = hmac({ signatureHeader: 'x-sig', secretEncoding: 'hex' })
    const b64 = hmac({ signatureHeader: 'x-sig', secretEncoding: 'base64' })
    await expect(at(hex, key.toString('hex').toUpperCase()).verify({ headers: { 'x-sig': signature }, body })).resolves.toBeDefined()
    await expect(at(b64, key.toString('base64')).verify({ headers: { 'x-sig': signature }, body })).resolves.toBeDefined()
    await expectWebhookError(
      at(hmac({ signatureHeader: 'x-sig' }), key.toString('hex')).verify({ headers: { 'x-sig': signature }, body }),
      'signature_mismatch',
    )
  })

  it('requires the id header only when the template signs it', async () => {
    const signed = hmac({ signatureHeader: 'x-sig', idHeader: 'x-id', template: '${id}${body}' })
    await expectWebhookError(at(signed, 'k').verify({ headers: { 'x-sig': 'a'.repeat(64) }, body }), 'missing_header')
    const unsigned = hmac({ signatureHeader: 'x-sig', idHeader: 'x-id' })
    const signature = createHmac('sha256', 'k').update(body).digest('hex')
    await expect(at(unsigned, 'k').verify({ headers: { 'x-sig': signature }, body })).resolves.toMatchObject({ id: undefined })
    await expect(at(unsigned, 'k').verify({ headers: { 'x-sig': signature, 'x-id': 'd-1' }, body })).resolves.toMatchObject({ id: 'd-1' })
  })

  it('checks the clock on a timestamp header even when the template does not sign it', async () => {
    const scheme = hmac({ signatureHeader: 'x-sig', timestampHeader: 'x-time', toleranceSeconds: 5 })
    const signature = createHmac('sha256', 'k').update(body).digest('hex')
    await expect(at(scheme, 'k').verify({ headers: { 'x-sig': signature, 'x-time': String(T0 - 5) }, body })).resolves.toBeDefined()
    await expectWebhookError(
      at(scheme, 'k').verify({ headers: { 'x-sig': signature, 'x-time': String(T0 - 6) }, body }),
      'timestamp_expired',
    )
    await expectWebhookError(at(scheme, 'k').verify({ headers: { 'x-sig': signature }, body }), 'missing_header')
  })

  it('reads the type from its header, else from the payload field', async () => {
    const signature = createHmac('sha256', 'k').update(body).digest('hex')
    const byHeader = hmac({ signatureHeader: 'x-sig', typeHeader: 'x-event' })
    const byField = hmac({ signatureHeader: 'x-sig', typeField: 'event' })
    await expect(at(byHeader, 'k').verify({ headers: { 'x-sig': signature, 'x-event': 'msg.new' }, body })).resolves.toMatchObject({
      type: 'msg.new',
    })
    await expect(at(byField, 'k').verify({ headers: { 'x-sig': signature }, body })).resolves.toMatchObject({ type: 'message.created' })
  })
})

describe('scheme factories', () => {
  it('resolve by name to the same defaults as their factories', () => {
    expect(SCHEME_NAMES).toEqual(['standard-webhooks', 'stripe', 'github', 'slack', 'shopify', 'token'])
    const byFactory = [standardWebhooks(), stripe(), github(), slack(), shopify(), token()]
    for (const [i, name] of SCHEME_NAMES.entries()) {
      const scheme = resolveScheme(name)
      expect({ name: scheme.name, tolerance: scheme.toleranceSeconds, retention: scheme.retentionSeconds }).toEqual({
        name: byFactory[i]?.name,
        tolerance: byFactory[i]?.toleranceSeconds,
        retention: byFactory[i]?.retentionSeconds,
      })
    }
  })

  it('take their options', () => {
    expect(stripe({ toleranceSeconds: 60 }).toleranceSeconds).toBe(60)
    expect(slack({ toleranceSeconds: 30 }).toleranceSeconds).toBe(30)
    expect(standardWebhooks({ toleranceSeconds: 10 }).toleranceSeconds).toBe(10)
    expect(github({ retentionSeconds: 3600 }).retentionSeconds).toBe(3600)
    expect(shopify({ retentionSeconds: 7200 }).retentionSeconds).toBe(7200)
    expect(token({ retentionSeconds: 60 }).retentionSeconds).toBe(60)
    expect(createWebhookVerifier({ scheme: github(), secret: 's' }).toleranceSeconds).toBe(300)
  })
})
