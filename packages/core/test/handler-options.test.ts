// Misuse is not rejection: a bad option throws a TypeError when the handler is created.
import { createWebhookHandler, memoryStore, type WebhookHandlerOptions } from '@hookguard/core'
import { describe, expect, it } from 'vitest'

const base = { scheme: 'stripe', secret: 'whsec_options' } as const

describe('createWebhookHandler options', () => {
  it.each<[string, Partial<WebhookHandlerOptions>]>([
    ['a negative maxBodyBytes', { maxBodyBytes: -1 }],
    ['a fractional maxBodyBytes', { maxBodyBytes: 1.5 }],
    ['a zero leaseMs', { leaseMs: 0 }],
    ['an infinite leaseMs', { leaseMs: Number.POSITIVE_INFINITY }],
    ['an unknown onDuplicate', { onDuplicate: 'ignore' as never }],
    ['an unknown onUnhandled', { onUnhandled: 'drop' as never }],
    ['a zero retentionSeconds', { retentionSeconds: 0 }],
    ['a replay store without release', { replay: { claim: () => 'claimed', complete: () => {} } as never }],
    ['a non-function onEvent', { onEvent: {} as never }],
    ['a schema without ~standard', { schemas: { x: {} as never } }],
  ])('throws a TypeError for %s', (_label, options) => {
    expect(() => createWebhookHandler({ ...base, ...options })).toThrow(TypeError)
    expect(() => createWebhookHandler({ ...base, ...options })).toThrow(/^@hookguard\/core: /)
  })

  it('exposes maxBodyBytes and accepts the documented defaults and alternatives', () => {
    expect(createWebhookHandler(base).maxBodyBytes).toBe(1_048_576)
    expect(createWebhookHandler({ ...base, maxBodyBytes: 0 }).maxBodyBytes).toBe(0)
    expect(() => createWebhookHandler({ ...base, replay: false, onDuplicate: 'reject', onUnhandled: 'reject' })).not.toThrow()
    expect(() => memoryStore({ maxEntries: 0 })).toThrow(TypeError)
  })

  it('answers 409 in_flight with Retry-After of at least 1 s for short leases', async () => {
    const { sign } = await import('@hookguard/core')
    const hooks = createWebhookHandler({ ...base, leaseMs: 900 })
    const body = JSON.stringify({ id: 'evt_short_lease', type: 'x' })
    const headers = await sign({ scheme: 'stripe', secret: base.secret, body })
    const held = await hooks.receive({ method: 'POST', headers, body })
    const result = await hooks.handle({ method: 'POST', headers, body })
    expect(result.status).toBe(409)
    expect(result.headers['retry-after']).toBe('1')
    if (held.accepted) await held.settle(200)
  })
})
