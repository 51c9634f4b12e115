// The observer hook: what it hears, and that it can never change an answer.
import { createWebhookHandler, sign, type WebhookObserverEvent, type WebhookResult } from '@hookguard/core'
import { describe, expect, it } from 'vitest'

const SECRET = 'whsec_observer_secret'
let seq = 0

async function delivery(type = 'invoice.paid', extra: Record<string, unknown> = {}) {
  const id = `evt_observer_${++seq}`
  const body = JSON.stringify({ id, type, ...extra })
  return { id, body, headers: await sign({ scheme: 'stripe', secret: SECRET, body }) }
}

/** The same scripted requests, for comparing answers with and without an observer. */
async function script(onEvent?: (e: WebhookObserverEvent) => unknown): Promise<Array<Omit<WebhookResult, 'headers'>>> {
  const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, onEvent })
  hooks.on('invoice.paid', () => {})
  hooks.on('invoice.failed', () => {
    throw new Error('handler failed')
  })
  const ok = await delivery()
  const failing = await delivery('invoice.failed')
  const unhandled = await delivery('customer.created')
  const requests = [
    { headers: ok.headers, body: ok.body },
    { headers: ok.headers, body: ok.body },
    { headers: failing.headers, body: failing.body },
    { headers: unhandled.headers, body: unhandled.body },
    { headers: ok.headers, body: `${ok.body} ` },
    { headers: {}, body: ok.body },
  ]
  const results: Array<Omit<WebhookResult, 'headers'>> = []
  for (const r of requests) {
    const { status, body } = await hooks.handle({ method: 'POST', ...r })
    results.push({ status, body })
  }
  return results
}

describe('onEvent', () => {
  it('hears verified then one terminal event per delivery, with id, type and timings', async () => {
    const events: WebhookObserverEvent[] = []
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, onEvent: (e) => events.push(e) })
    hooks.on('invoice.paid', () => {})
    hooks.on('invoice.failed', () => {
      throw new Error('database down')
    })
    const ok = await delivery()
    await hooks.handle({ method: 'POST', headers: ok.headers, body: ok.body })
    expect(events).toEqual([
      { kind: 'verified', id: ok.id, type: 'invoice.paid', scheme: 'stripe', durationMs: expect.any(Number) },
      {
        kind: 'handled',
        id: ok.id,
        type: 'invoice.paid',
        handlers: 1,
        status: 200,
        durationMs: expect.any(Number),
        handlerMs: expect.any(Number),
      },
    ])
    const handled = events[1] as { durationMs: number; handlerMs: number }
    expect(handled.durationMs).toBeGreaterThanOrEqual(handled.handlerMs)
    expect(handled.handlerMs).toBeGreaterThanOrEqual(0)

    events.length = 0
    await hooks.handle({ method: 'POST', headers: ok.headers, body: ok.body })
    expect(events).toEqual([
      expect.objectContaining({ kind: 'verified', id: ok.id }),
      { kind: 'duplicate', id: ok.id, type: 'invoice.paid', key: `stripe:${ok.id}`, status: 200, durationMs: expect.any(Number) },
    ])

    events.length = 0
    const failing = await delivery('invoice.failed')
    await hooks.handle({ method: 'POST', headers: failing.headers, body: failing.body })
    expect(events[1]).toMatchObject({ kind: 'failed', id: failing.id, type: 'invoice.failed', status: 500 })
    expect((events[1] as { error: Error }).error.message).toBe('database down')

    events.length = 0
    await hooks.handle({ method: 'POST', headers: ok.headers, body: `${ok.body} ` })
    expect(events).toEqual([
      {
        kind: 'rejected',
        code: 'signature_mismatch',
        status: 401,
        message: expect.stringContaining('signature does not match'),
        details: expect.objectContaining({ scheme: 'stripe' }),
        id: undefined,
        type: undefined,
        durationMs: expect.any(Number),
      },
    ])

    events.length = 0
    const text = '{"id":"evt_x","type":'
    await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret: SECRET, body: text }), body: text })
    expect(events).toEqual([expect.objectContaining({ kind: 'rejected', code: 'invalid_payload', status: 422 })])
  })

  it('reports unhandled and in-flight deliveries', async () => {
    const events: WebhookObserverEvent[] = []
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, onEvent: (e) => events.push(e), leaseMs: 5000 })
    const d = await delivery('customer.created')
    const held = await hooks.receive({ method: 'POST', headers: d.headers, body: d.body })
    await hooks.handle({ method: 'POST', headers: d.headers, body: d.body })
    expect(events.at(-1)).toEqual({
      kind: 'in_flight',
      id: d.id,
      type: 'customer.created',
      key: `stripe:${d.id}`,
      status: 409,
      retryAfterSeconds: 5,
      durationMs: expect.any(Number),
    })
    if (held.accepted) await held.settle(500)
    await hooks.handle({ method: 'POST', headers: d.headers, body: d.body })
    expect(events.at(-1)).toMatchObject({ kind: 'unhandled', id: d.id, type: 'customer.created', status: 200 })
  })

  it('never changes an answer: a throwing observer, an async one that rejects, and none at all agree', async () => {
    const baseline = await script()
    let thrown = 0
    const throwing = await script(() => {
      thrown++
      throw new Error('observer bug')
    })
    let rejected = 0
    const rejecting = await script(async () => {
      rejected++
      throw new Error('async observer bug') // would be an unhandled rejection (a failed test run) if not caught
    })
    expect(baseline.map((r) => r.status)).toEqual([200, 200, 500, 200, 401, 400])
    expect(throwing).toEqual(baseline)
    expect(rejecting).toEqual(baseline)
    expect(thrown).toBeGreaterThan(6)
    expect(rejected).toBe(thrown)
  })

  it('refuses an onEvent that is not a function at construction', () => {
    expect(() => createWebhookHandler({ scheme: 'stripe', secret: SECRET, onEvent: 'log' as never })).toThrow(TypeError)
  })
})
