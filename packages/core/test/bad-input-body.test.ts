// Bodies: every raw-bytes shape verifies the same; an empty body verifies; invalid UTF-8 verifies
// but its payload is invalid_payload; a parsed object is raw_body_unavailable; a re-serialised
// body is a signature_mismatch whose message says to pass the raw bytes.
import { createWebhookVerifier, WebhookError } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError, SCHEME_CASES, signatureTexts, signCase, T0 } from './verify-cases'

const text = '{ "type": "invoice.paid",  "id": "evt_1", "note": "naïve ☃" }'

describe.each(CRYPTOS)('bodies (%s crypto)', (_name, crypto) => {
  describe.each(SCHEME_CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const verifier = createWebhookVerifier({ scheme: c.scheme, secret: c.verifySecret ?? c.secret, crypto, now: () => T0 * 1000 })

    it('string, Uint8Array, Buffer, ArrayBuffer, DataView and an offset view all verify the same bytes', async () => {
      const headers = await signCase(c, crypto, text)
      const bytes = new TextEncoder().encode(text)
      const padded = new Uint8Array(bytes.byteLength + 7)
      padded.set(bytes, 3)
      const shapes = [
        text,
        bytes,
        Buffer.from(text),
        bytes.buffer.slice(0),
        new DataView(bytes.buffer),
        padded.subarray(3, 3 + bytes.byteLength),
      ]
      for (const body of shapes) {
        const delivery = await verifier.verify({ headers, body })
        expect([...delivery.rawBody]).toEqual([...bytes])
      }
    })

    it('an empty body verifies; its payload is null, or invalid_payload when declared JSON', async () => {
      const headers = await signCase(c, crypto, '')
      const { 'content-type': _json, ...bare } = headers
      await expect(verifier.verify({ headers: bare, body: new Uint8Array(0) })).resolves.toMatchObject({ payload: null })
      const declared = await verifier.verify({ headers, body: '' })
      expect(() => declared.payload).toThrow(expect.objectContaining({ code: 'invalid_payload', status: 422 }))
    })

    it('invalid UTF-8 verifies, and reading payload throws invalid_payload (422)', async () => {
      const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])
      const headers = await signCase(c, crypto, bytes)
      const delivery = await verifier.verify({ headers, body: bytes })
      expect(delivery.rawBody).toEqual(bytes)
      let thrown: unknown
      try {
        void delivery.payload
      } catch (error) {
        thrown = error
      }
      expect(WebhookError.is(thrown) && { code: thrown.code, status: thrown.status }).toEqual({ code: 'invalid_payload', status: 422 })
      expect((thrown as Error).message).not.toContain(c.secret)
    })

    it('a parsed object, array or number as body is raw_body_unavailable (500), telling how to fix it', async () => {
      const headers = await signCase(c, crypto, text)
      for (const body of [JSON.parse(text), [1, 2], 42, true]) {
        const error = await expectWebhookError(verifier.verify({ headers, body }), 'raw_body_unavailable', [c.secret])
        expect(error.message).toMatch(/raw request bytes/)
      }
    })

    it.runIf(c.signsBody)('a re-serialised body is a signature_mismatch that says to pass the raw bytes', async () => {
      const headers = await signCase(c, crypto, text)
      const error = await expectWebhookError(verifier.verify({ headers, body: JSON.stringify(JSON.parse(text)) }), 'signature_mismatch', [
        c.secret,
        ...signatureTexts(c, headers),
      ])
      expect(error.message).toMatch(/raw request bytes/)
      expect(JSON.stringify(error.toJSON())).not.toContain(c.secret)
    })
  })
})
