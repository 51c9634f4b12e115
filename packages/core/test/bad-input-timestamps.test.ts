// Timestamps are canonical ASCII digits or malformed_header; a genuine but far-off timestamp is
// expired / in the future. Stricter than standardwebhooks (`1750000000abc`) and stripe-node (`t=abc`).
import { createWebhookVerifier } from '@hookguard/core'
import { describe, it } from 'vitest'
import { CRYPTOS, expectWebhookError, SCHEME_CASES, type SchemeCase, signatureTexts, signCase, T0 } from './verify-cases'

const body = '{"type":"ping"}'
const timestamped = SCHEME_CASES.filter((c) => c.signsTimestamp)

const MALFORMED = [
  'abc',
  '-1750000000',
  '+1750000000',
  '1750000000.5',
  '1750000000.0',
  '1.75e9',
  '1750000000abc',
  ' 1750000000',
  '1750000000 ',
  '01750000000',
  '0x684ee180',
  '１７５００００００００', // full-width digits
  '99999999999999999999', // more than 12 digits
  '9'.repeat(5000),
  'Infinity',
  'NaN',
]

/** The case's signed headers with the timestamp text replaced (Stripe keeps it in `t=`). */
function withTimestamp(c: SchemeCase, headers: Record<string, string>, value: string): Record<string, string> {
  if (c.timestampHeader) return { ...headers, [c.timestampHeader]: value }
  return { ...headers, [c.signatureHeader]: (headers[c.signatureHeader] ?? '').replace(/^t=\d+/, `t=${value}`) }
}

describe.each(CRYPTOS)('bad timestamps (%s crypto)', (_name, crypto) => {
  describe.each(timestamped.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => T0 * 1000 })

    it.each(MALFORMED.map((v) => [v.length > 40 ? `${v.slice(0, 12)}… (${v.length} chars)` : JSON.stringify(v), v]))(
      '%s is malformed_header',
      async (_shown, value) => {
        const headers = await signCase(c, crypto, body)
        await expectWebhookError(verifier.verify({ headers: withTimestamp(c, headers, value), body }), 'malformed_header', [
          c.secret,
          ...signatureTexts(c, headers),
        ])
      },
    )

    it('an empty timestamp is missing (malformed for Stripe, whose t= is part of one header)', async () => {
      const headers = await signCase(c, crypto, body)
      await expectWebhookError(
        verifier.verify({ headers: withTimestamp(c, headers, ''), body }),
        c.timestampHeader ? 'missing_header' : 'malformed_header',
      )
    })

    it('a genuine timestamp of 0 is expired, one of 999999999999 is in the future', async () => {
      await expectWebhookError(verifier.verify({ headers: await signCase(c, crypto, body, { timestamp: 0 }), body }), 'timestamp_expired')
      const far = await signCase(c, crypto, body, { timestamp: 999_999_999_999 })
      await expectWebhookError(verifier.verify({ headers: far, body }), 'timestamp_in_future')
    })

    it('a forged timestamp with a valid-looking value is a signature_mismatch, not a clock error', async () => {
      const headers = await signCase(c, crypto, body, { timestamp: T0 - 10_000 })
      await expectWebhookError(verifier.verify({ headers: withTimestamp(c, headers, String(T0)), body }), 'signature_mismatch')
    })
  })
})
