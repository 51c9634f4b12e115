// Edge runtimes have no Buffer: core then encodes and decodes hex/base64 with its portable code.
// Load a fresh copy of core with Buffer hidden and check it signs and verifies exactly as on Node.
import * as withBuffer from '@hookguard/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { expectWebhookError, SCHEME_CASES, signCase, T0 } from './verify-cases'

let portable: typeof withBuffer
let webCrypto: withBuffer.WebhookCrypto

beforeAll(async () => {
  vi.resetModules()
  vi.stubGlobal('Buffer', undefined)
  try {
    portable = await import('@hookguard/core')
    webCrypto = (await import('@hookguard/core/crypto/web')).webCrypto
  } finally {
    vi.unstubAllGlobals()
  }
})

afterAll(() => {
  vi.resetModules()
})

describe('without Buffer (edge runtimes)', () => {
  const body = '{"type":"ping","note":"ünïcödé"}'
  // Named schemes only: a scheme object built by the Buffer-ful copy would bring its own encoders.
  const hmacCases = SCHEME_CASES.filter((c) => typeof c.scheme === 'string' && !c.label.includes('ed25519'))

  it('is a separate copy of core that was loaded without Buffer', () => {
    expect(portable).not.toBe(withBuffer)
    expect(portable.createWebhookVerifier).not.toBe(withBuffer.createWebhookVerifier)
  })

  it.each(hmacCases.map((c) => [c.label, c] as const))('%s: same headers as with Buffer, and they verify', async (_label, c) => {
    const expected = await signCase(c, webCrypto, body)
    const headers = await portable.sign({ scheme: c.scheme, secret: c.secret, body, crypto: webCrypto, timestamp: T0, id: 'msg_1' })
    expect(headers).toEqual(expected)
    const verifier = portable.createWebhookVerifier({ scheme: c.scheme, secret: c.secret, crypto: webCrypto, now: () => T0 * 1000 })
    await expect(verifier.verify({ headers, body })).resolves.toBeDefined()
    if (c.signsBody) await expect(verifier.verify({ headers, body: `${body} ` })).rejects.toMatchObject({ code: 'signature_mismatch' })
  })

  it('hmac(): base64 sha512 with a base64 secret, built by the portable copy', async () => {
    const options = { signatureHeader: 'x-sig', algorithm: 'sha512', encoding: 'base64', secretEncoding: 'base64', prefix: 'v1=' } as const
    const secret = 'c2VjcmV0LWJ5dGVzLWZvci1zaGE1MTI='
    const expected = await withBuffer.sign({ scheme: withBuffer.hmac(options), secret, body, crypto: webCrypto, id: 'a', timestamp: T0 })
    const headers = await portable.sign({ scheme: portable.hmac(options), secret, body, crypto: webCrypto, id: 'a', timestamp: T0 })
    expect(headers).toEqual(expected)
    const verifier = portable.createWebhookVerifier({ scheme: portable.hmac(options), secret, crypto: webCrypto })
    await expect(verifier.verify({ headers, body })).resolves.toBeDefined()
  })

  it('refuses non-canonical base64 and hex spellings the same way', async () => {
    const shopify = SCHEME_CASES.find((c) => c.label === 'shopify')
    const github = SCHEME_CASES.find((c) => c.label === 'github')
    if (!shopify || !github) throw new Error('missing cases')
    const sv = portable.createWebhookVerifier({ scheme: 'shopify', secret: shopify.secret, crypto: webCrypto })
    const sig = (await signCase(shopify, webCrypto, body))['x-shopify-hmac-sha256'] ?? ''
    for (const bad of [
      sig.replace(/=$/, ''),
      sig.replace(/\+/g, '-').replace(/\//g, '_'),
      `${sig.slice(0, 4)} ${sig.slice(5)}`,
      `${sig.slice(0, 42)}B=`,
    ]) {
      if (bad === sig) continue
      await expectWebhookError(sv.verify({ headers: { 'x-shopify-hmac-sha256': bad }, body }), 'malformed_header')
    }
    const gv = portable.createWebhookVerifier({ scheme: 'github', secret: github.secret, crypto: webCrypto })
    const hex = (await signCase(github, webCrypto, body))['x-hub-signature-256'] ?? ''
    await expect(gv.verify({ headers: { 'x-hub-signature-256': hex }, body })).resolves.toBeDefined()
    await expectWebhookError(
      gv.verify({ headers: { 'x-hub-signature-256': hex.toUpperCase().replace('SHA256', 'sha256') }, body }),
      'malformed_header',
    )
  })
})
