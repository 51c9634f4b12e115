// Standard Webhooks interop with the published `standardwebhooks` and `svix` libraries, both ways,
// plus asymmetric `v1a` (Ed25519) signatures checked against node:crypto.
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify } from 'node:crypto'
import { createWebhookVerifier, sign, standardWebhooks } from '@hookguard/core'
import { Webhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, ed25519Keys, expectWebhookError } from './verify-cases'

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const body = '{"type":"invoice.paid","data":{"id":"in_1","amount":4200,"note":"déjà vu ✓"}}'

describe.each(CRYPTOS)('standard-webhooks interop (%s crypto)', (_name, crypto) => {
  const nowSeconds = Math.floor(Date.now() / 1000)
  const verifier = createWebhookVerifier({ scheme: 'standard-webhooks', secret, crypto, now: () => nowSeconds * 1000 })

  it('matches the published Svix / Standard Webhooks example vector', async () => {
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    }
    const pinned = createWebhookVerifier({ scheme: 'standard-webhooks', secret, crypto, now: () => 1614265330_000 })
    const delivery = await pinned.verify({ headers, body: '{"test": 2432232314}' })
    expect(delivery.payload).toEqual({ test: 2432232314 })
    const signed = await sign({
      scheme: 'standard-webhooks',
      secret,
      crypto,
      id: headers['webhook-id'],
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    })
    expect(signed['webhook-signature']).toBe(headers['webhook-signature'])
  })

  it('verifies what standardwebhooks signs', async () => {
    const id = 'msg_2Lh9KRb0pzN4LePd3XiA4v12Axj'
    const signature = new Webhook(secret).sign(id, new Date(nowSeconds * 1000), body)
    const headers = { 'Webhook-Id': id, 'Webhook-Timestamp': String(nowSeconds), 'Webhook-Signature': signature }
    const delivery = await verifier.verify({ headers, body: Buffer.from(body) })
    expect(delivery).toMatchObject({ scheme: 'standard-webhooks', id, timestamp: nowSeconds, type: 'invoice.paid' })
    expect(delivery.payload).toEqual(JSON.parse(body))
    expect(new TextDecoder().decode(delivery.rawBody)).toBe(body)
  })

  it('verifies svix-* headers signed by svix, in a WHATWG Headers', async () => {
    const id = 'msg_svix_1'
    const signature = new SvixWebhook(secret).sign(id, new Date(nowSeconds * 1000), body)
    const headers = new Headers({ 'svix-id': id, 'svix-timestamp': String(nowSeconds), 'svix-signature': signature })
    await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ id, type: 'invoice.paid' })
  })

  it('rejects a standardwebhooks signature made with another secret', async () => {
    const other = 'whsec_OTA5OTk5OTk5OTk5OTk5OTk5OTk5OTk5'
    const signature = new Webhook(other).sign('msg_1', new Date(nowSeconds * 1000), body)
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(nowSeconds), 'webhook-signature': signature }
    const expected = new Webhook(secret).sign('msg_1', new Date(nowSeconds * 1000), body)
    await expectWebhookError(verifier.verify({ headers, body }), 'signature_mismatch', [secret, other, expected.slice(3)])
  })

  it('standardwebhooks verifies what hookguard signs (several secrets, any order)', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret: ['whsec_OTA5OTk5OTk5OTk5OTk5OTk5OTk5OTk5', secret], body, crypto })
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2)
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
    expect(() => new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx').verify(body, headers)).toThrow(/No matching signature/)
  })

  it('svix verifies what hookguard signs with svix-* headers', async () => {
    const headers = await sign({ scheme: standardWebhooks({ headerPrefix: 'svix' }), secret, body, crypto, id: 'msg_x' })
    expect(Object.keys(headers).sort()).toEqual(['content-type', 'svix-id', 'svix-signature', 'svix-timestamp'])
    expect(() => new SvixWebhook(secret).verify(body, headers)).not.toThrow()
    expect(() => new SvixWebhook(secret).verify(`${body} `, headers)).toThrow()
  })

  it('is stricter than standardwebhooks: `1750000000abc` verifies there, is malformed here', async () => {
    const signature = new Webhook(secret).sign('msg_1', new Date(nowSeconds * 1000), body)
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': `${nowSeconds}abc`, 'webhook-signature': signature }
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow()
    await expectWebhookError(verifier.verify({ headers, body }), 'malformed_header', [secret])
  })
})

describe.each(CRYPTOS)('standard-webhooks v1a Ed25519 (%s crypto)', (_name, crypto) => {
  const { secretKey, publicKey } = ed25519Keys()
  const seed = Buffer.from(secretKey.slice(5), 'base64')
  const pub = Buffer.from(publicKey.slice(5), 'base64')
  const privateKeyObject = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: pub.toString('base64url') },
    format: 'jwk',
  })
  const publicKeyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' })
  const ts = 1_750_000_000
  const verifier = createWebhookVerifier({ scheme: 'standard-webhooks', secret: publicKey, crypto, now: () => ts * 1000 })

  it('verifies a v1a signature made with node:crypto, next to an unknown version', async () => {
    const signature = edSign(null, Buffer.from(`msg_ed.${ts}.${body}`), privateKeyObject).toString('base64')
    const headers = { 'webhook-id': 'msg_ed', 'webhook-timestamp': String(ts), 'webhook-signature': `v2,ignored v1a,${signature}` }
    await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ id: 'msg_ed', timestamp: ts })
    await expectWebhookError(verifier.verify({ headers, body: `${body}\n` }), 'signature_mismatch', [secretKey, publicKey, signature])
  })

  it('signs v1a that node:crypto verifies, and a 64-byte whsk_ (seed + public key) signs the same', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret: secretKey, body, crypto, id: 'msg_ed', timestamp: ts })
    const [entry] = headers['webhook-signature']?.split(' ') ?? []
    expect(entry).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/)
    expect(edVerify(null, Buffer.from(`msg_ed.${ts}.${body}`), publicKeyObject, Buffer.from(entry?.slice(4) ?? '', 'base64'))).toBe(true)
    const long = `whsk_${Buffer.concat([seed, pub]).toString('base64')}`
    const again = await sign({ scheme: 'standard-webhooks', secret: long, body, crypto, id: 'msg_ed', timestamp: ts })
    expect(again['webhook-signature']).toBe(headers['webhook-signature'])
    await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ id: 'msg_ed' })
  })

  it('accepts HMAC and Ed25519 keys side by side during a migration', async () => {
    const both = createWebhookVerifier({ scheme: 'standard-webhooks', secret: [secret, publicKey], crypto, now: () => ts * 1000 })
    const viaHmac = await sign({ scheme: 'standard-webhooks', secret, body, crypto, timestamp: ts })
    const viaEd = await sign({ scheme: 'standard-webhooks', secret: secretKey, body, crypto, timestamp: ts })
    await expect(both.verify({ headers: viaHmac, body })).resolves.toBeDefined()
    await expect(both.verify({ headers: viaEd, body })).resolves.toBeDefined()
    // A public key cannot verify an HMAC signature, nor an HMAC secret an Ed25519 one.
    await expectWebhookError(verifier.verify({ headers: viaHmac, body }), 'signature_mismatch')
    const hmacOnly = createWebhookVerifier({ scheme: 'standard-webhooks', secret, crypto, now: () => ts * 1000 })
    await expectWebhookError(hmacOnly.verify({ headers: viaEd, body }), 'signature_mismatch')
  })

  it('refuses a whsk_ private key for verifying and a whpk_ public key for signing', async () => {
    expect(() => createWebhookVerifier({ scheme: 'standard-webhooks', secret: secretKey, crypto })).toThrow(TypeError)
    await expect(sign({ scheme: 'standard-webhooks', secret: publicKey, body, crypto })).rejects.toThrow(TypeError)
  })
})
