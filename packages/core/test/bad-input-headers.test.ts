// Bad headers never crash or hang: each gets its exact WebhookError code and status, and no
// message carries the secret or the expected signature.
import { createWebhookVerifier } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError, SCHEME_CASES, signatureTexts, signCase, T0 } from './verify-cases'

const body = '{"type":"ping","id":"evt_1"}'

describe.each(CRYPTOS)('bad headers (%s crypto)', (_name, crypto) => {
  describe.each(SCHEME_CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => T0 * 1000 })
    const signed = () => signCase(c, crypto, body)
    // What must never show up in a message: the secrets and the genuine signature.
    const leaks = async () => [c.secret, c.verifySecret ?? '', ...signatureTexts(c, await signed())]
    const without = (headers: Record<string, string>, name: string) => {
      const { [name]: _dropped, ...rest } = headers
      return rest
    }

    it('verifies the genuine headers in a record, a Headers, a Map, pairs and any letter case', async () => {
      const headers = await signed()
      const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]))
      const asArrays = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]))
      for (const shape of [headers, upper, asArrays, new Headers(headers), new Map(Object.entries(headers)), Object.entries(headers)]) {
        await expect(verifier.verify({ headers: shape, body })).resolves.toMatchObject({ rawBody: new TextEncoder().encode(body) })
      }
    })

    it('a missing, empty or blank signature header is missing_header', async () => {
      const secrets = await leaks()
      const headers = await signed()
      await expectWebhookError(verifier.verify({ headers: without(headers, c.signatureHeader), body }), 'missing_header', secrets)
      for (const value of ['', '   ', []]) {
        await expectWebhookError(verifier.verify({ headers: { ...headers, [c.signatureHeader]: value }, body }), 'missing_header', secrets)
      }
      await expectWebhookError(verifier.verify({ headers: undefined as never, body }), 'missing_header')
      await expectWebhookError(verifier.verify({ headers: new Headers(), body }), 'missing_header')
    })

    it('a signature header sent twice (array-valued record, or pairs) is malformed_header', async () => {
      const secrets = await leaks()
      const headers = await signed()
      const value = headers[c.signatureHeader] ?? ''
      const twice = { ...headers, [c.signatureHeader]: [value, value] }
      await expectWebhookError(verifier.verify({ headers: twice, body }), 'malformed_header', secrets)
      const pairs = [...Object.entries(headers), [c.signatureHeader, value] as [string, string]]
      await expectWebhookError(verifier.verify({ headers: pairs, body }), 'malformed_header', secrets)
    })

    it('a signature header sent twice in a Headers (joined with ", ") is refused', async () => {
      const secrets = await leaks()
      const headers = new Headers(await signed())
      headers.append(c.signatureHeader, headers.get(c.signatureHeader) ?? '')
      // A token may legitimately contain ", ", so it is simply not the token; every signature
      // encoding refuses the joined value as unparseable.
      await expectWebhookError(
        verifier.verify({ headers, body }),
        c.signatureEncoding === 'token' ? 'signature_mismatch' : 'malformed_header',
        secrets,
      )
    })

    it.runIf(!!c.timestampHeader)('a timestamp header sent twice is malformed_header', async () => {
      const headers = await signed()
      const name = c.timestampHeader as string
      const joined = new Headers(headers)
      joined.append(name, headers[name] ?? '')
      await expectWebhookError(verifier.verify({ headers: joined, body }), 'malformed_header')
      await expectWebhookError(verifier.verify({ headers: { ...headers, [name]: [String(T0), String(T0)] }, body }), 'malformed_header')
    })

    it('an oversized signature header is refused at once', async () => {
      const secrets = await leaks()
      const headers = await signed()
      const huge = `${headers[c.signatureHeader]}${'a'.repeat(256 * 1024)}`
      await expectWebhookError(verifier.verify({ headers: { ...headers, [c.signatureHeader]: huge }, body }), 'malformed_header', secrets)
    })

    it('non-ASCII and control characters in the signature header are refused', async () => {
      const secrets = await leaks()
      const headers = await signed()
      const value = headers[c.signatureHeader] ?? ''
      for (const bad of [`${value.slice(0, -1)}é`, `${value.slice(0, -2)}签`, `${value}\u0000`, `\u00a0${value}`]) {
        const expected = c.signatureEncoding === 'token' ? 'signature_mismatch' : 'malformed_header'
        await expectWebhookError(verifier.verify({ headers: { ...headers, [c.signatureHeader]: bad }, body }), expected, secrets)
      }
    })

    it('a header value that is not text is malformed_header', async () => {
      const headers = await signed()
      for (const value of [42, { v: 1 }, [42]]) {
        await expectWebhookError(
          verifier.verify({ headers: { ...headers, [c.signatureHeader]: value as never }, body }),
          'malformed_header',
        )
      }
    })
  })

  describe('standard-webhooks id and timestamp headers', () => {
    const c = SCHEME_CASES[0] as (typeof SCHEME_CASES)[number]
    const verifier = createWebhookVerifier({ scheme: 'standard-webhooks', secret: c.secret, crypto, now: () => T0 * 1000 })

    it('a missing id or timestamp is missing_header; svix-* names are accepted', async () => {
      const headers = await signCase(c, crypto, body)
      const { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig, ...rest } = headers
      await expectWebhookError(
        verifier.verify({ headers: { ...rest, 'webhook-timestamp': ts ?? '', 'webhook-signature': sig ?? '' }, body }),
        'missing_header',
      )
      await expectWebhookError(
        verifier.verify({ headers: { ...rest, 'webhook-id': id ?? '', 'webhook-signature': sig ?? '' }, body }),
        'missing_header',
      )
      const svix = { 'svix-id': id ?? '', 'svix-timestamp': ts ?? '', 'svix-signature': sig ?? '' }
      await expect(verifier.verify({ headers: svix, body })).resolves.toMatchObject({ id: 'msg_1' })
    })

    it('a webhook-id sent twice is malformed_header, or joined by a Headers a signature_mismatch', async () => {
      const headers = await signCase(c, crypto, body)
      await expectWebhookError(verifier.verify({ headers: { ...headers, 'webhook-id': ['msg_1', 'msg_1'] }, body }), 'malformed_header')
      const joined = new Headers(headers)
      joined.append('webhook-id', 'msg_1')
      await expectWebhookError(verifier.verify({ headers: joined, body }), 'signature_mismatch')
    })

    it('signature lists: empty entries are skipped, an entry without a version is malformed', async () => {
      const headers = await signCase(c, crypto, body)
      const sig = headers['webhook-signature'] ?? ''
      await expect(verifier.verify({ headers: { ...headers, 'webhook-signature': `  ${sig}  ` }, body })).resolves.toBeDefined()
      for (const bad of [`${sig.slice(3)}`, `,${sig.slice(3)}`, `v1,`, `v1`, `v2,abc`, `v1a,${sig.slice(3)}`]) {
        await expectWebhookError(verifier.verify({ headers: { ...headers, 'webhook-signature': bad }, body }), 'malformed_header')
      }
    })
  })
})

describe.each(CRYPTOS)('non-canonical signature encodings (%s crypto)', (_name, crypto) => {
  /** Respells the signature inside a header value; `null` when the spelling does not apply. */
  const hexSpellings: Array<[string, (hex: string) => string]> = [
    ['upper-case hex', (h) => h.toUpperCase()],
    ['mixed-case hex', (h) => h.replace(/[a-f]/, (x) => x.toUpperCase())],
    ['a 0x prefix', (h) => `0x${h}`],
    ['a missing digit', (h) => h.slice(1)],
    ['an extra digit', (h) => `${h}0`],
    ['a space inside', (h) => `${h.slice(0, 10)} ${h.slice(10)}`],
  ]
  const base64Spellings: Array<[string, (b64: string) => string]> = [
    ['no padding', (b) => b.replace(/=+$/, '')],
    ['url-safe alphabet', (b) => Buffer.from(b, 'base64').toString('base64url')],
    ['stray bits in the last character', (b) => strayBits(b)],
    ['extra padding', (b) => `${b}==`],
    ['a line break inside', (b) => `${b.slice(0, 8)}\n${b.slice(8)}`],
    ['hex instead of base64', (b) => Buffer.from(b, 'base64').toString('hex')],
  ]

  for (const c of SCHEME_CASES.filter((x) => x.signatureEncoding !== 'token')) {
    const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => T0 * 1000 })
    const spellings = c.signatureEncoding === 'hex' ? hexSpellings : base64Spellings
    const run = c.signatureEncoding === 'hex' ? /[0-9a-f]{40,}/ : /[A-Za-z0-9+/]{20,}={0,2}/

    it.each(spellings)(`${c.label}: %s is malformed_header`, async (_what, respell) => {
      const headers = await signCase(c, crypto, body)
      const value = headers[c.signatureHeader] ?? ''
      const changed = value.replace(run, (sig) => respell(sig))
      expect(changed).not.toBe(value)
      await expectWebhookError(verifier.verify({ headers: { ...headers, [c.signatureHeader]: changed }, body }), 'malformed_header', [
        c.secret,
        value,
      ])
    })
  }
})

/** Same bytes, non-canonical text: sets the unused low bits of the last base64 character. */
function strayBits(b64: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const padding = b64.length - b64.replace(/=+$/, '').length
  const at = b64.length - padding - 1
  const index = alphabet.indexOf(b64[at] ?? '')
  const unused = padding === 1 ? 0b11 : 0b1111
  const respelled = b64.slice(0, at) + alphabet[index | unused] + b64.slice(at + 1)
  if (!Buffer.from(respelled, 'base64').equals(Buffer.from(b64, 'base64'))) throw new Error('stray bits changed the bytes')
  return respelled
}
