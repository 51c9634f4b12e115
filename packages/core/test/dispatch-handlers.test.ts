// hooks.dispatch(): the handlers of an event, outside a request, through the same routing as handle().
import { createWebhookHandler, type DispatchResult, sign, type WebhookEvent } from '@hookguard/core'
import { describe, expect, expectTypeOf, it } from 'vitest'

const secret = 'whsec_dispatch'
let seq = 0

type Events = { 'invoice.paid': { amount: number }; 'invoice.voided': { reason: string }; 'charge.refund.updated': { id: string } }

/** An event as a worker would hold it: received once (verified), handlers not run yet. */
async function received(hooks: ReturnType<typeof createWebhookHandler<Events>>, type: string, payload: unknown = {}) {
  const body = JSON.stringify({ id: `evt_dispatch_${++seq}`, type, ...(payload as object) })
  const receipt = await hooks.receive({ method: 'POST', headers: await sign({ scheme: 'stripe', secret, body }), body })
  if (!receipt.accepted) throw new Error(`not accepted: ${receipt.result.body}`)
  await receipt.settle(200)
  return receipt.event
}

describe('hooks.dispatch()', () => {
  it("runs every matching handler in core's order: exact, longest wildcard first, then *; ties by registration", async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret, replay: false })
    const order: string[] = []
    hooks.on('*', () => void order.push('*'))
    hooks.on('charge.*', () => void order.push('charge.*'))
    hooks.on('charge.refund.updated', () => void order.push('exact 1'))
    hooks.on('charge.refund.*', () => void order.push('charge.refund.*'))
    hooks.on('charge.refund.updated', () => void order.push('exact 2'))
    hooks.on('invoice.*', () => void order.push('never'))
    const event = await received(hooks, 'charge.refund.updated')
    expect(await hooks.dispatch(event)).toEqual({ handlers: 5, reply: undefined })
    expect(order).toEqual(['exact 1', 'exact 2', 'charge.refund.*', 'charge.*', '*'])
  })

  it('hands every handler the same event object, and may run it again (a worker retry)', async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret, replay: false })
    const seen: WebhookEvent[] = []
    hooks.on('invoice.paid', (event) => void seen.push(event))
    hooks.on('invoice.*', (event) => void seen.push(event))
    const event = await received(hooks, 'invoice.paid', { amount: 5 })
    await hooks.dispatch(event)
    await hooks.dispatch(event)
    expect(seen).toHaveLength(4)
    for (const e of seen) expect(e).toBe(event)
  })

  it('resolves the last reply other than undefined, the body handle() would send for the same delivery', async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret, replay: false })
    hooks.on('invoice.paid', () => ({ first: true }))
    hooks.on('invoice.*', async () => ({ second: true }))
    hooks.on('*', () => undefined)
    const event = await received(hooks, 'invoice.paid')
    expect(await hooks.dispatch(event)).toEqual({ handlers: 3, reply: { second: true } })
    const body = JSON.stringify({ id: 'evt_same_path', type: 'invoice.paid' })
    const result = await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret, body }), body })
    expect(JSON.parse(result.body)).toEqual({ second: true })
  })

  it("rejects with the handler's own error and runs none after it (sync throw and async rejection)", async () => {
    for (const fail of [
      () => {
        throw new Error('sync boom')
      },
      async () => {
        throw new Error('async boom')
      },
    ]) {
      const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret, replay: false })
      const ran: string[] = []
      hooks.on('invoice.paid', () => void ran.push('before'))
      hooks.on('invoice.paid', fail)
      hooks.on('*', () => void ran.push('after'))
      const event = await received(hooks, 'invoice.paid')
      const error = await hooks.dispatch(event).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toMatch(/^(sync|async) boom$/)
      expect(ran).toEqual(['before'])
    }
  })

  it('resolves handlers: 0 for a type nobody handles (the caller decides what unhandled means)', async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret, replay: false, onUnhandled: 'reject' })
    hooks.on('invoice.paid', () => 'no')
    const event = await received(hooks, 'invoice.voided')
    expect(await hooks.dispatch(event)).toEqual({ handlers: 0, reply: undefined })
  })

  it('sees handlers registered after the event was received (one router)', async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret, replay: false })
    const event = await received(hooks, 'invoice.paid')
    expect((await hooks.dispatch(event)).handlers).toBe(0)
    hooks.on('invoice.paid', () => 'late')
    expect(await hooks.dispatch(event)).toEqual({ handlers: 1, reply: 'late' })
  })

  it('refuses a non-event with a TypeError', async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret })
    await expect(hooks.dispatch({} as never)).rejects.toThrow(TypeError)
    await expect(hooks.dispatch(undefined as never)).rejects.toThrow(/dispatch\(\) needs an event/)
  })

  it('is typed: takes any event of the map, resolves a DispatchResult', () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret })
    expectTypeOf(hooks.dispatch)
      .parameter(0)
      .toEqualTypeOf<
        | WebhookEvent<'invoice.paid', { amount: number }>
        | WebhookEvent<'invoice.voided', { reason: string }>
        | WebhookEvent<'charge.refund.updated', { id: string }>
      >()
    expectTypeOf(hooks.dispatch).returns.toEqualTypeOf<Promise<DispatchResult>>()
  })
})
