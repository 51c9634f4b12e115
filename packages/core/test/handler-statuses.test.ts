// Every status and code of the request pipeline, through a real server, with requests signed by sign().
import {
  createWebhookHandler,
  type ReplayStore,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookObserverEvent,
} from '@hookguard/core'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { deferred, ENTRIES, send, serve, type TestServer } from './pipeline-helpers'

const SECRET = 'whsec_statuses_secret_do_not_echo'
let seq = 0
const nextId = () => `evt_status_${process.pid}_${++seq}`
const invoice = (id = nextId(), extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, type: 'invoice.paid', data: { object: { amount_paid: 1200 } }, ...extra })
const signStripe = (body: string, timestamp?: number) => ({ scheme: 'stripe' as const, secret: SECRET, body, timestamp })
const nowSeconds = () => Math.floor(Date.now() / 1000)

describe.each(ENTRIES)('hooks.%s answers', (entry) => {
  const servers: TestServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })

  async function start(
    options: Partial<WebhookHandlerOptions> = {},
    register: (hooks: WebhookHandler) => void = (hooks) => hooks.on('invoice.paid', () => {}),
  ) {
    const events: WebhookObserverEvent[] = []
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, onEvent: (e) => events.push(e), ...options })
    register(hooks)
    const server = await serve(hooks, entry)
    servers.push(server)
    return { url: server.url, events, hooks }
  }

  it('200 {ok:true} for a valid delivery, with the typed event in the handler', async () => {
    const seen: unknown[] = []
    const { url } = await start({}, (hooks) => hooks.on('invoice.paid', (event) => void seen.push(event)))
    const id = nextId()
    const answer = await send(url, signStripe(invoice(id)))
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ ok: true })
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(seen).toEqual([
      expect.objectContaining({ id, type: 'invoice.paid', scheme: 'stripe', attempt: 1, payload: expect.objectContaining({ id }) }),
    ])
  })

  it('401 signature_mismatch for a tampered body, without calling the handler', async () => {
    let calls = 0
    const { url } = await start({}, (hooks) => hooks.on('*', () => void calls++))
    const body = invoice()
    const answer = await send(url, signStripe(body), { body: body.replace('1200', '9999') })
    expect(answer.status).toBe(401)
    expect(answer.body.error.code).toBe('signature_mismatch')
    expect(calls).toBe(0)
  })

  it('401 timestamp_expired for a stale delivery and 401 timestamp_in_future for a future one', async () => {
    const { url } = await start()
    const stale = await send(url, signStripe(invoice(), nowSeconds() - 301 - 5))
    expect(stale.status).toBe(401)
    expect(stale.body.error.code).toBe('timestamp_expired')
    const future = await send(url, signStripe(invoice(), nowSeconds() + 301 + 5))
    expect(future.status).toBe(401)
    expect(future.body.error.code).toBe('timestamp_in_future')
  })

  it('400 missing_header and 400 malformed_header', async () => {
    const { url } = await start()
    const missing = await send(url, signStripe(invoice()), { headers: { 'stripe-signature': undefined } })
    expect(missing.status).toBe(400)
    expect(missing.body.error.code).toBe('missing_header')
    const malformed = await send(url, signStripe(invoice()), { headers: { 'stripe-signature': 't=abc,v1=nothex' } })
    expect(malformed.status).toBe(400)
    expect(malformed.body.error.code).toBe('malformed_header')
  })

  it('405 method_not_allowed with Allow: POST', async () => {
    const { url } = await start()
    const answer = await send(url, signStripe(invoice()), { method: 'GET' })
    expect(answer.status).toBe(405)
    expect(answer.body.error.code).toBe('method_not_allowed')
    expect(answer.headers.get('allow')).toBe('POST')
  })

  it('413 body_too_large when Content-Length is over maxBodyBytes, closing the connection', async () => {
    let calls = 0
    const { url, events } = await start({ maxBodyBytes: 1024 }, (hooks) => hooks.on('*', () => void calls++))
    const body = invoice(nextId(), { padding: 'x'.repeat(4096) })
    const answer = await send(url, signStripe(body))
    expect(answer.status).toBe(413)
    expect(answer.body.error.code).toBe('body_too_large')
    expect(answer.headers.get('connection')).toBe('close')
    expect(calls).toBe(0)
    expect(events).toContainEqual(expect.objectContaining({ kind: 'rejected', code: 'body_too_large', status: 413 }))
  })

  it('422 invalid_payload for a verified body that is not JSON', async () => {
    const { url } = await start()
    const answer = await send(url, signStripe('{"id":"evt_1","type":'))
    expect(answer.status).toBe(422)
    expect(answer.body.error.code).toBe('invalid_payload')
  })

  it('422 invalid_payload naming the failing paths, echoing no values and no secret', async () => {
    let calls = 0
    const schema = z.object({
      id: z.string(),
      type: z.literal('invoice.paid'),
      data: z.object({ object: z.object({ amount_paid: z.number(), customer_email: z.email() }) }),
    })
    const { url, events } = await start({ schemas: { 'invoice.paid': schema } }, (hooks) => hooks.on('*', () => void calls++))
    const leaked = 'sk_live_VALUE_THAT_MUST_NOT_ECHO'
    const body = JSON.stringify({
      id: nextId(),
      type: 'invoice.paid',
      data: { object: { amount_paid: leaked, customer_email: `${leaked}-not-an-email` } },
    })
    const answer = await send(url, signStripe(body))
    expect(answer.status).toBe(422)
    expect(answer.body.error.code).toBe('invalid_payload')
    expect(answer.body.error.message).toContain('data.object.amount_paid')
    expect(answer.body.error.message).toContain('data.object.customer_email')
    expect(answer.text).not.toContain(leaked)
    expect(answer.text).not.toContain(SECRET)
    expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message'])
    expect(calls).toBe(0)
    // The details (for logs) carry the paths and the schema's messages.
    const rejected = events.find((e) => e.kind === 'rejected')
    expect(rejected).toMatchObject({ code: 'invalid_payload', type: 'invoice.paid', details: { paths: expect.any(Array) } })
  })

  it('200 {ok:true,duplicate:true} for a repeat of a handled delivery; the handler ran once', async () => {
    let calls = 0
    const { url } = await start({}, (hooks) => hooks.on('invoice.paid', () => void calls++))
    const signed = signStripe(invoice())
    expect((await send(url, signed)).body).toEqual({ ok: true })
    const again = await send(url, signed)
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ ok: true, duplicate: true })
    // A fresh signature (a new attempt by the provider) of the same event id is a duplicate too.
    const resigned = await send(url, signStripe(signed.body, nowSeconds() - 10))
    expect(resigned.body).toEqual({ ok: true, duplicate: true })
    expect(calls).toBe(1)
  })

  it("409 duplicate with onDuplicate: 'reject'", async () => {
    const { url } = await start({ onDuplicate: 'reject' })
    const signed = signStripe(invoice())
    expect((await send(url, signed)).status).toBe(200)
    const again = await send(url, signed)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('duplicate')
  })

  it('409 in_flight with Retry-After for a repeat while the first is still running', async () => {
    const entered = deferred()
    const release = deferred()
    const { url } = await start({ leaseMs: 30_000 }, (hooks) =>
      hooks.on('invoice.paid', async () => {
        entered.resolve()
        await release.promise
      }),
    )
    const signed = signStripe(invoice())
    const first = send(url, signed)
    await entered.promise
    const second = await send(url, signed)
    expect(second.status).toBe(409)
    expect(second.body.error.code).toBe('in_flight')
    expect(second.headers.get('retry-after')).toBe('30')
    release.resolve()
    expect((await first).status).toBe(200)
    expect((await send(url, signed)).body).toEqual({ ok: true, duplicate: true })
  })

  it('503 store_unavailable when the store throws, and the handler is not called', async () => {
    let calls = 0
    const broken: ReplayStore = {
      claim: () => Promise.reject(new Error('ECONNREFUSED redis://:hunter2@10.0.0.1')),
      complete: () => {},
      release: () => {},
    }
    const { url, events } = await start({ replay: broken }, (hooks) => hooks.on('*', () => void calls++))
    const answer = await send(url, signStripe(invoice()))
    expect(answer.status).toBe(503)
    expect(answer.body.error.code).toBe('store_unavailable')
    expect(answer.text).not.toContain('hunter2')
    expect(calls).toBe(0)
    expect(events.map((e) => e.kind)).toEqual(['verified', 'store_error', 'rejected'])
  })

  it('handles the delivery when the store throws and failOpen is set', async () => {
    let calls = 0
    const broken: ReplayStore = {
      claim: () => {
        throw new Error('down')
      },
      complete: () => {
        throw new Error('never called')
      },
      release: () => {},
    }
    const { url, events } = await start({ replay: broken, failOpen: true }, (hooks) => hooks.on('*', () => void calls++))
    const answer = await send(url, signStripe(invoice()))
    expect(answer.status).toBe(200)
    expect(calls).toBe(1)
    expect(events).toContainEqual(expect.objectContaining({ kind: 'store_error', operation: 'claim', failOpen: true }))
    expect(events.at(-1)).toMatchObject({ kind: 'handled' })
  })

  it('200 for a type nobody handles (observable), 501 unhandled_event with onUnhandled: reject', async () => {
    const acknowledged = await start({}, () => {})
    const answer = await send(acknowledged.url, signStripe(invoice()))
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ ok: true })
    expect(acknowledged.events.at(-1)).toMatchObject({ kind: 'unhandled', type: 'invoice.paid', status: 200 })

    const rejecting = await start({ onUnhandled: 'reject' }, () => {})
    const signed = signStripe(invoice())
    const refused = await send(rejecting.url, signed)
    expect(refused.status).toBe(501)
    expect(refused.body.error.code).toBe('unhandled_event')
    // Released, not completed: the provider's retry (once a handler exists) is processed.
    expect((await send(rejecting.url, signed)).status).toBe(501)
  })

  it("sends a handler's return value as the JSON body", async () => {
    const { url } = await start({}, (hooks) => hooks.on('invoice.paid', (event) => ({ received: event.id })))
    const id = nextId()
    const answer = await send(url, signStripe(invoice(id)))
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ received: id })
  })

  it('500 handler_failed when a handler throws, never echoing its message', async () => {
    const { url, events } = await start({}, (hooks) =>
      hooks.on('invoice.paid', () => {
        throw new Error(`db password ${SECRET}`)
      }),
    )
    const answer = await send(url, signStripe(invoice()))
    expect(answer.status).toBe(500)
    expect(answer.body.error.code).toBe('handler_failed')
    expect(answer.text).not.toContain(SECRET)
    expect(events.at(-1)).toMatchObject({ kind: 'failed', status: 500, error: expect.any(Error) })
  })

  it('500 internal_error (not a crash) when a custom scheme throws something unexpected', async () => {
    const { url } = await start({
      scheme: {
        name: 'custom',
        algorithm: 'sha256',
        decodeSecret: (secret: string) => ({ kind: 'hmac', bytes: new TextEncoder().encode(secret) }),
        read: () => {
          throw new RangeError('bug in a custom scheme')
        },
        content: (_parts, body) => [body],
        write: () => ({}),
      },
    })
    const answer = await send(url, signStripe(invoice()))
    expect(answer.status).toBe(500)
    expect(answer.body.error.code).toBe('internal_error')
    expect(answer.text).not.toContain('bug in a custom scheme')
  })
})
