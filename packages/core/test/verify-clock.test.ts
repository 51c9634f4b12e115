// The tolerance window is inclusive and symmetric: exactly `toleranceSeconds` old or ahead is
// accepted, one second more is refused, in both directions, with the injectable clock.
import { createWebhookVerifier, stripe } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError, SCHEME_CASES, signCase, T0 } from './verify-cases'

const body = '{"type":"ping"}'
const timestamped = SCHEME_CASES.filter((c) => c.signsTimestamp)

describe.each(CRYPTOS)('tolerance edges (%s crypto)', (_name, crypto) => {
  describe.each(timestamped.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const verifierAt = (nowMs: number, toleranceSeconds?: number) =>
      createWebhookVerifier({
        scheme: c.scheme,
        secret: c.verifySecret ?? c.secret,
        crypto,
        now: () => nowMs,
        ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
      })
    const headers = () => signCase(c, crypto, body, { timestamp: T0 })

    it('defaults to 300 s: exactly 300 s old or ahead is accepted', async () => {
      for (const now of [T0 + 300, T0 - 300, T0]) {
        await expect(verifierAt(now * 1000).verify({ headers: await headers(), body })).resolves.toMatchObject({ timestamp: T0 })
      }
    })

    it('301 s old is timestamp_expired, 301 s ahead timestamp_in_future', async () => {
      await expectWebhookError(verifierAt((T0 + 301) * 1000).verify({ headers: await headers(), body }), 'timestamp_expired', [c.secret])
      await expectWebhookError(verifierAt((T0 - 301) * 1000).verify({ headers: await headers(), body }), 'timestamp_in_future', [c.secret])
    })

    it('counts whole seconds of the clock: 300.999 s old is still 300', async () => {
      await expect(verifierAt((T0 + 300) * 1000 + 999).verify({ headers: await headers(), body })).resolves.toBeDefined()
      await expectWebhookError(verifierAt((T0 + 301) * 1000).verify({ headers: await headers(), body }), 'timestamp_expired')
    })

    it('honours a custom toleranceSeconds, including 0', async () => {
      await expect(verifierAt((T0 + 60) * 1000, 60).verify({ headers: await headers(), body })).resolves.toBeDefined()
      await expectWebhookError(verifierAt((T0 + 61) * 1000, 60).verify({ headers: await headers(), body }), 'timestamp_expired')
      await expectWebhookError(verifierAt((T0 - 61) * 1000, 60).verify({ headers: await headers(), body }), 'timestamp_in_future')
      await expect(verifierAt(T0 * 1000 + 999, 0).verify({ headers: await headers(), body })).resolves.toBeDefined()
      await expectWebhookError(verifierAt((T0 + 1) * 1000, 0).verify({ headers: await headers(), body }), 'timestamp_expired')
      await expectWebhookError(verifierAt((T0 - 1) * 1000, 0).verify({ headers: await headers(), body }), 'timestamp_in_future')
    })
  })

  it("the verifier's toleranceSeconds overrides the scheme factory's", async () => {
    const c = SCHEME_CASES.find((x) => x.label === 'stripe')
    if (!c) throw new Error('no stripe case')
    const headers = await signCase(c, crypto, body, { timestamp: T0 })
    const fromScheme = createWebhookVerifier({
      scheme: stripe({ toleranceSeconds: 10 }),
      secret: c.secret,
      crypto,
      now: () => (T0 + 11) * 1000,
    })
    expect(fromScheme.toleranceSeconds).toBe(10)
    await expectWebhookError(fromScheme.verify({ headers, body }), 'timestamp_expired')
    const overridden = createWebhookVerifier({
      scheme: stripe({ toleranceSeconds: 10 }),
      secret: c.secret,
      crypto,
      toleranceSeconds: 20,
      now: () => (T0 + 11) * 1000,
    })
    await expect(overridden.verify({ headers, body })).resolves.toBeDefined()
  })

  it('schemes without a signed timestamp never consult the clock', async () => {
    for (const c of SCHEME_CASES.filter((x) => !x.signsTimestamp)) {
      const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.secret, crypto, now: () => Number.NaN })
      await expect(verifier.verify({ headers: await signCase(c, crypto, body), body })).resolves.toMatchObject({ timestamp: undefined })
    }
  })

  it('a clock that returns NaN fails closed with a TypeError instead of accepting every timestamp', async () => {
    const c = SCHEME_CASES[0] as (typeof SCHEME_CASES)[number]
    const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.secret, crypto, now: () => Number.NaN })
    await expect(verifier.verify({ headers: await signCase(c, crypto, body), body })).rejects.toThrow(TypeError)
  })
})
