import type { AddressInfo } from 'node:net'
import { serve as honoServe } from '@hono/node-server'
import { createWebhookHandler, sign } from '@hookguard/core'
import { webhookHandler as expressHandler, verifyWebhook as expressVerify } from '@hookguard/express'
import { webhookHandler as honoHandler, verifyWebhook as honoVerify } from '@hookguard/hono'
import { createInbox } from '@hookguard/inbox'
import express from 'express'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET, sqliteKind } from './helpers'

let seq = 0
async function post(url: string, id = `msg_adapter_${process.pid}_${seq++}`) {
  const body = JSON.stringify({ type: 'order.paid', data: { id } })
  const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id })
  const response = await fetch(url, { method: 'POST', headers, body })
  return { id, status: response.status, body: await response.json() }
}

// The inbox has core's handle/fetch/receive shapes, so the adapters mount it unchanged: endpoint
// style and middleware style (where the inbox answers for itself and the route never runs).
describe('mounted by the existing adapters', () => {
  let made: Awaited<ReturnType<typeof sqliteKind.create>>
  let inbox: ReturnType<typeof createInbox>
  let routeRan = 0
  const closers: Array<() => Promise<void>> = []
  beforeAll(async () => {
    made = await sqliteKind.create()
    inbox = createInbox({
      store: made.store,
      handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }),
    })
  })
  afterAll(async () => {
    for (const close of closers) await close()
    await made.destroy()
  })

  const listen = async (
    start: () => { port: number; close: () => Promise<void> } | Promise<{ port: number; close: () => Promise<void> }>,
  ) => {
    const { port, close } = await start()
    closers.push(close)
    return `http://127.0.0.1:${port}/webhooks`
  }

  it('Express: webhookHandler(inbox) and verifyWebhook(inbox) answer 202 once stored, then 200 duplicate', async () => {
    const app = express()
    app.all('/webhooks', expressHandler(inbox))
    app.post('/mw', expressVerify(inbox), (_req, res) => {
      routeRan++
      res.sendStatus(500)
    })
    const url = await listen(
      () =>
        new Promise((resolve) => {
          const server = app.listen(0, '127.0.0.1', () =>
            resolve({ port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) }),
          )
        }),
    )
    const first = await post(url)
    expect(first).toMatchObject({ status: 202, body: { accepted: true } })
    expect((await made.store.get(`standard-webhooks:${first.id}`))?.status).toBe('pending')
    expect(await post(url, first.id)).toMatchObject({ status: 200, body: { ok: true, duplicate: true } })
    const mw = await post(url.replace('/webhooks', '/mw'))
    expect(mw).toMatchObject({ status: 202, body: { accepted: true } })
    expect(routeRan).toBe(0)
  })

  it('Hono: webhookHandler(inbox) (hooks.fetch) and verifyWebhook(inbox)', async () => {
    const app = new Hono()
    app.post('/webhooks', honoHandler(inbox))
    app.post('/mw', honoVerify(inbox), (c) => {
      routeRan++
      return c.text('route', 500)
    })
    const url = await listen(
      () =>
        new Promise((resolve) => {
          const server = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
            resolve({ port: info.port, close: () => new Promise((r) => server.close(() => r())) }),
          )
        }),
    )
    const first = await post(url)
    expect(first).toMatchObject({ status: 202, body: { accepted: true } })
    expect((await made.store.get(`standard-webhooks:${first.id}`))?.status).toBe('pending')
    expect((await post(url.replace('/webhooks', '/mw'))).status).toBe(202)
    expect(routeRan).toBe(0)
  })
})
