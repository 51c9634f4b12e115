// Signs callbacks with plain node:crypto exactly as the IM platform does, and verifies them with hookguard.
import { createHmac } from 'node:crypto'
import { sign, WebhookError } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { createCallbackVerifier, imPlatform } from '../src/verify'

const apiSecret = 'im_api_secret_2f9c1e'
const now = 1_750_000_000

/** What the platform sends for one callback. */
function platformCallback(body: string, id = 'cb_81f2', timestamp = now, secret = apiSecret) {
  const signature = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('hex')
  return { 'X-Callback-Id': id, 'X-Callback-Timestamp': String(timestamp), 'X-Callback-Signature': signature }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'accepted'
  } catch (error) {
    return WebhookError.is(error) ? `${error.code} ${error.status}` : String(error)
  }
}

describe('IM platform callbacks', () => {
  const verifier = createCallbackVerifier(apiSecret, () => now * 1000)
  const body = JSON.stringify({ event: 'message.created', message: { from: 'u_1', text: 'hello 👋' } })

  it('verifies a genuine callback and reads its id, timestamp, type and payload', async () => {
    const delivery = await verifier.verify({ headers: platformCallback(body), body })
    expect(delivery).toMatchObject({ scheme: 'im-platform', id: 'cb_81f2', timestamp: now, type: 'message.created' })
    expect(delivery.payload).toEqual(JSON.parse(body))
  })

  it('refuses a changed body, id or timestamp, a wrong secret and a stale callback', async () => {
    const headers = platformCallback(body)
    expect(await codeOf(verifier.verify({ headers, body: body.replace('hello', 'HELLO') }))).toBe('signature_mismatch 401')
    expect(await codeOf(verifier.verify({ headers: { ...headers, 'X-Callback-Id': 'cb_other' }, body }))).toBe('signature_mismatch 401')
    expect(await codeOf(verifier.verify({ headers: { ...headers, 'X-Callback-Timestamp': String(now + 1) }, body }))).toBe(
      'signature_mismatch 401',
    )
    expect(await codeOf(verifier.verify({ headers: platformCallback(body, 'cb_1', now, 'another'), body }))).toBe('signature_mismatch 401')
    expect(await codeOf(verifier.verify({ headers: platformCallback(body, 'cb_1', now - 301), body }))).toBe('timestamp_expired 401')
    const { 'X-Callback-Id': _id, ...withoutId } = headers
    expect(await codeOf(verifier.verify({ headers: withoutId, body }))).toBe('missing_header 400')
  })

  it('accepts the old and the new secret while the API secret rotates', async () => {
    const rotating = createCallbackVerifier(['im_api_secret_new', apiSecret], () => now * 1000)
    await expect(rotating.verify({ headers: platformCallback(body), body })).resolves.toMatchObject({ id: 'cb_81f2' })
  })

  it("hookguard's sign() produces the platform's headers, for tests of your own handlers", async () => {
    const headers = await sign({ scheme: imPlatform, secret: apiSecret, body, id: 'cb_81f2', timestamp: now })
    const expected = platformCallback(body)
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-callback-id': expected['X-Callback-Id'],
      'x-callback-timestamp': expected['X-Callback-Timestamp'],
      'x-callback-signature': expected['X-Callback-Signature'],
    })
  })
})
