// The order handlers run in: exact, then the longest prefix wildcard, then '*', ties in registration order.
import { createWebhookHandler, sign } from '@hookguard/core'
import { describe, expect, it } from 'vitest'

const SECRET = 'whsec_routing'
let seq = 0

function setup() {
  const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: false })
  const order: string[] = []
  const record = (label: string) => () => void order.push(label)
  const deliver = async (type: string) => {
    order.length = 0
    const body = JSON.stringify({ id: `evt_route_${++seq}`, type })
    const result = await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret: SECRET, body }), body })
    return { status: result.status, body: JSON.parse(result.body), order: [...order] }
  }
  return { hooks, record, deliver }
}

describe('routing order', () => {
  it('runs exact, then wildcards longest prefix first, then *, whatever the registration order', async () => {
    const { hooks, record, deliver } = setup()
    hooks.on('*', record('* (1st)'))
    hooks.on('charge.*', record('charge.* (1st)'))
    hooks.on('charge.refund.*', record('charge.refund.*'))
    hooks.on('charge.refund.updated', record('exact (1st)'))
    hooks.on('*', record('* (2nd)'))
    hooks.on('charge.*', record('charge.* (2nd)'))
    hooks.on('charge.refund.updated', record('exact (2nd)'))
    hooks.on('invoice.*', record('invoice.*'))
    expect((await deliver('charge.refund.updated')).order).toEqual([
      'exact (1st)',
      'exact (2nd)',
      'charge.refund.*',
      'charge.* (1st)',
      'charge.* (2nd)',
      '* (1st)',
      '* (2nd)',
    ])
    expect((await deliver('charge.succeeded')).order).toEqual(['charge.* (1st)', 'charge.* (2nd)', '* (1st)', '* (2nd)'])
    expect((await deliver('payout.paid')).order).toEqual(['* (1st)', '* (2nd)'])
  })

  it("treats a pattern like 'x.y*' as an exact name, not a wildcard", async () => {
    const { hooks, record, deliver } = setup()
    hooks.on('x.y*', record('x.y*'))
    hooks.on('x.*', record('x.*'))
    expect((await deliver('x.yz')).order).toEqual(['x.*'])
    expect((await deliver('x.y*')).order).toEqual(['x.y*', 'x.*'])
  })

  it('matches a wildcard only below its prefix, and slash topics with prefix/*', async () => {
    const { hooks, record, deliver } = setup()
    hooks.on('invoice.*', record('invoice.*'))
    hooks.on('orders/*', record('orders/*'))
    expect((await deliver('invoice')).order).toEqual([])
    expect((await deliver('invoice.')).order).toEqual([])
    expect((await deliver('invoicex.paid')).order).toEqual([])
    expect((await deliver('invoice.paid')).order).toEqual(['invoice.*'])
    expect((await deliver('orders/create')).order).toEqual(['orders/*'])
  })

  it('sends the last value a handler returned; a throw stops the handlers after it', async () => {
    const { hooks, record, deliver } = setup()
    hooks.on('*', () => ({ from: '*' }))
    hooks.on('ping', () => ({ from: 'exact' }))
    hooks.on('ping', () => undefined)
    expect((await deliver('ping')).body).toEqual({ from: '*' })
    hooks.on('boom', () => {
      throw new Error('first')
    })
    hooks.on('boom', record('after the throw'))
    const boom = await deliver('boom')
    expect(boom.status).toBe(500)
    expect(boom.order).toEqual([])
  })

  it('sees handlers registered after the first delivery', async () => {
    const { hooks, record, deliver } = setup()
    hooks.on('late.*', record('late.*'))
    expect((await deliver('late.one')).order).toEqual(['late.*'])
    hooks.on('late.one', record('late.one'))
    expect((await deliver('late.one')).order).toEqual(['late.one', 'late.*'])
  })

  it('refuses an empty pattern or a missing handler with a TypeError', () => {
    const { hooks } = setup()
    expect(() => hooks.on('', () => {})).toThrow(TypeError)
    expect(() => hooks.on('x', undefined as never)).toThrow(TypeError)
  })
})
