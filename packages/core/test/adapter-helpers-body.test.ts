// withRawBodyHint: an adapter names its own fix for raw_body_unavailable; core does the detecting.
import { Readable } from 'node:stream'
import { createWebhookHandler, readBody, sign, WebhookError, withRawBodyHint } from '@hookguard/core'
import { describe, expect, it } from 'vitest'

const HINT = 'Framework: mount the webhook route before the JSON parser.'

async function drained(text: string) {
  const stream = Readable.from([Buffer.from(text)], { objectMode: false })
  for await (const _ of stream) {
    // a body parser reading the stream to its end
  }
  return stream
}

async function refusal(promise: Promise<unknown>): Promise<WebhookError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!WebhookError.is(error)) throw new Error(`expected a WebhookError, got ${String(error)}`)
  return error
}

describe('withRawBodyHint', () => {
  it('reads an unread stream as usual', async () => {
    const bytes = await readBody(withRawBodyHint(Readable.from([Buffer.from('{"a":1}')]), HINT))
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}')
  })

  it('appends the hint to core’s message when a body parser already drained the stream (never hangs)', async () => {
    const error = await refusal(readBody(withRawBodyHint(await drained('{"a":1}'), HINT)))
    expect(error.code).toBe('raw_body_unavailable')
    expect(error.status).toBe(500)
    expect(error.message).toMatch(/^@hookguard\/core: .*already read/)
    expect(error.message.endsWith(` ${HINT}`)).toBe(true)
  })

  it('appends the hint when the adapter can only offer a parsed object', async () => {
    const error = await refusal(readBody(withRawBodyHint({ parsed: true } as never, HINT)))
    expect(error.code).toBe('raw_body_unavailable')
    expect(error.message).toContain(HINT)
  })

  it('leaves other refusals alone: 413 stays body_too_large without the hint', async () => {
    const error = await refusal(readBody(withRawBodyHint(Readable.from([Buffer.alloc(64)]), HINT), { maxBodyBytes: 8 }))
    expect(error.code).toBe('body_too_large')
    expect(error.message).not.toContain(HINT)
  })

  it('goes through handle(): the method check comes first, then 500 raw_body_unavailable with the hint', async () => {
    const secret = 'hint-secret'
    const hooks = createWebhookHandler({ scheme: 'github', secret })
    const body = '{"zen":"ok"}'
    const headers = await sign({ scheme: 'github', secret, body, id: 'hint-1', type: 'ping' })
    const wrongMethod = await hooks.handle({ method: 'GET', headers, body: withRawBodyHint(await drained(body), HINT) })
    expect(wrongMethod.status).toBe(405)
    const result = await hooks.handle({ method: 'POST', headers, body: withRawBodyHint(await drained(body), HINT) })
    expect(result.status).toBe(500)
    const { error } = JSON.parse(result.body)
    expect(error.code).toBe('raw_body_unavailable')
    expect(error.message).toContain(HINT)
    const ok = await hooks.handle({ method: 'POST', headers, body: withRawBodyHint(Readable.from([Buffer.from(body)]), HINT) })
    expect(ok.status).toBe(200)
  })
})
