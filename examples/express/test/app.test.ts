import type { AddressInfo } from 'node:net'
import { sign } from '@hookguard/core'
import { expect, it } from 'vitest'
// @ts-expect-error plain ESM example
import { createApp } from '../src/app.mjs'

const stripeSecret = 'whsec_example'
const ordersSecret = `whsec_${Buffer.from('example-orders').toString('base64')}`

it('receives signed deliveries in both styles over real HTTP, next to a JSON API', async () => {
  const lines: string[] = []
  const app = createApp({ stripeSecret, ordersSecret, log: (line: string) => lines.push(line) })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const invoice = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'in_42' } } })
    const stripe = await fetch(`${base}/webhooks/stripe`, {
      method: 'POST',
      headers: await sign({ scheme: 'stripe', secret: stripeSecret, body: invoice }),
      body: invoice,
    })
    expect(stripe.status).toBe(200)

    const order = JSON.stringify({ type: 'order.created', data: { id: 'ord_1' } })
    const headers = await sign({ scheme: 'standard-webhooks', secret: ordersSecret, body: order, id: 'msg_1' })
    const orders = await fetch(`${base}/webhooks/orders`, { method: 'POST', headers, body: order })
    expect(orders.status).toBe(200)
    expect(lines).toEqual(['invoice in_42 paid', 'order event order.created (msg_1)'])

    const echo = await fetch(`${base}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(await echo.json()).toEqual({ a: 1 })
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})
