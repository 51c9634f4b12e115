// Property tests, for every scheme on both crypto implementations: whatever `sign()` produces
// verifies, and any change to the body, the signature, the signed timestamp or the secret is refused.
import { createWebhookVerifier, WebhookError, type WebhookErrorCode } from '@hookguard/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, SCHEME_CASES, type SchemeCase, signCase, T0 } from './verify-cases'

const RUNS = { numRuns: 100 }
const REFUSALS: readonly WebhookErrorCode[] = ['signature_mismatch', 'malformed_header', 'missing_header']

const SIGNATURE_RUN = { hex: /[0-9a-f]{40,}/, base64: /[A-Za-z0-9+/]{20,}={0,2}/ } as const

/** Flips one byte of the encoded signature inside a header value and re-encodes it canonically. */
function flipSignatureByte(value: string, encoding: 'hex' | 'base64', index: number, mask: number): string {
  const match = SIGNATURE_RUN[encoding].exec(value)
  if (!match) throw new Error(`no ${encoding} signature in ${value}`)
  const bytes = Buffer.from(match[0], encoding)
  bytes[index % bytes.length] = (bytes[index % bytes.length] as number) ^ mask
  return value.slice(0, match.index) + bytes.toString(encoding) + value.slice(match.index + match[0].length)
}

/** Where the signed timestamp is: its own header, or Stripe's `t=` inside the signature header. */
function timestampSpot(c: SchemeCase, headers: Record<string, string>): { header: string; start: number; end: number } {
  if (c.timestampHeader) return { header: c.timestampHeader, start: 0, end: headers[c.timestampHeader]?.length ?? 0 }
  const value = headers[c.signatureHeader] ?? ''
  const match = /t=(\d+)/.exec(value)
  if (!match) throw new Error(`no t= in ${value}`)
  return { header: c.signatureHeader, start: match.index + 2, end: match.index + match[0].length }
}

function otherSecret(c: SchemeCase): fc.Arbitrary<string> {
  switch (c.secretKind) {
    case 'utf8':
      return fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => s !== c.secret)
    case 'base64':
      return fc.uint8Array({ minLength: 1, maxLength: 48 }).map((b) => Buffer.from(b).toString('base64'))
    case 'whsec':
      return fc.uint8Array({ minLength: 24, maxLength: 32 }).map((b) => `whsec_${Buffer.from(b).toString('base64')}`)
    case 'whsk':
      return fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `whsk_${Buffer.from(b).toString('base64')}`)
  }
}

async function refusal(promise: Promise<unknown>): Promise<WebhookErrorCode | 'accepted'> {
  try {
    await promise
    return 'accepted'
  } catch (error) {
    if (!WebhookError.is(error)) throw error
    return error.code
  }
}

describe.each(CRYPTOS)('properties (%s crypto)', (_name, crypto) => {
  describe.each(SCHEME_CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => T0 * 1000 })
    const body = fc.uint8Array({ minLength: 1, maxLength: 300 })

    it('every sign() output verifies, with its id, timestamp and exact bytes', async () => {
      const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)
      const timestamp = fc.integer({ min: 0, max: 999_999_999_999 })
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), id, timestamp, async (bytes, msgId, ts) => {
          const headers = await signCase(c, crypto, bytes, { id: msgId, timestamp: ts })
          const at = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => ts * 1000 })
          const delivery = await at.verify({ headers, body: bytes })
          expect(delivery.rawBody).toEqual(bytes)
          if (c.signsTimestamp) expect(delivery.timestamp).toBe(ts)
          if (c.idHeader) expect([headers[c.idHeader], delivery.id]).toEqual([msgId, msgId])
        }),
        RUNS,
      )
    })

    it.runIf(c.signsBody)('any flipped body byte is a signature_mismatch', async () => {
      await fc.assert(
        fc.asyncProperty(body, fc.nat(), fc.integer({ min: 1, max: 255 }), async (bytes, index, mask) => {
          const headers = await signCase(c, crypto, bytes)
          const tampered = Uint8Array.from(bytes)
          tampered[index % tampered.length] = (tampered[index % tampered.length] as number) ^ mask
          expect(await refusal(verifier.verify({ headers, body: tampered }))).toBe('signature_mismatch')
        }),
        RUNS,
      )
    })

    it.runIf(c.signatureEncoding !== 'token')('any flipped signature byte is a signature_mismatch', async () => {
      await fc.assert(
        fc.asyncProperty(body, fc.nat(), fc.integer({ min: 1, max: 255 }), async (bytes, index, mask) => {
          const headers = await signCase(c, crypto, bytes)
          const value = headers[c.signatureHeader] ?? ''
          const tampered = { ...headers, [c.signatureHeader]: flipSignatureByte(value, c.signatureEncoding as 'hex', index, mask) }
          expect(await refusal(verifier.verify({ headers: tampered, body: bytes }))).toBe('signature_mismatch')
        }),
        RUNS,
      )
    })

    it('any changed character of the signature header is refused', async () => {
      const ascii = fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n))
      await fc.assert(
        fc.asyncProperty(body, fc.nat(), ascii, async (bytes, index, char) => {
          const headers = await signCase(c, crypto, bytes)
          const value = headers[c.signatureHeader] ?? ''
          const at = index % value.length
          fc.pre(value[at] !== char)
          const tampered = { ...headers, [c.signatureHeader]: value.slice(0, at) + char + value.slice(at + 1) }
          expect(REFUSALS).toContain(await refusal(verifier.verify({ headers: tampered, body: bytes })))
        }),
        RUNS,
      )
    })

    it.runIf(c.signsTimestamp)('any changed timestamp digit is refused before the clock is consulted', async () => {
      await fc.assert(
        fc.asyncProperty(body, fc.nat(), fc.integer({ min: 1, max: 9 }), async (bytes, index, delta) => {
          const headers = await signCase(c, crypto, bytes)
          const spot = timestampSpot(c, headers)
          const value = headers[spot.header] ?? ''
          const at = spot.start + (index % (spot.end - spot.start))
          const digit = String((Number(value[at]) + delta) % 10)
          const changed = value.slice(0, at) + digit + value.slice(at + 1)
          const leadingZero = at === spot.start && digit === '0'
          const code = await refusal(verifier.verify({ headers: { ...headers, [spot.header]: changed }, body: bytes }))
          expect(code).toBe(leadingZero ? 'malformed_header' : 'signature_mismatch')
        }),
        RUNS,
      )
    })

    it('any other secret is a signature_mismatch', async () => {
      await fc.assert(
        fc.asyncProperty(body, otherSecret(c), async (bytes, secret) => {
          const headers = await signCase(c, crypto, bytes, { secret })
          expect(await refusal(verifier.verify({ headers, body: bytes }))).toBe('signature_mismatch')
        }),
        RUNS,
      )
    })

    it('arbitrary header values never crash: always a WebhookError refusal', async () => {
      const names = [c.signatureHeader, c.timestampHeader, 'webhook-id', 'stripe-signature'].filter((n): n is string => !!n)
      const headers = fc.dictionary(
        fc.constantFrom(...names),
        fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string(), { maxLength: 3 })),
      )
      await fc.assert(
        fc.asyncProperty(headers, body, async (h, bytes) => {
          expect(REFUSALS).toContain(await refusal(verifier.verify({ headers: h, body: bytes })))
        }),
        RUNS,
      )
    })
  })
})
