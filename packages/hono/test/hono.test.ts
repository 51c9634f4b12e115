import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createWebhookHandler, sign } from '@hookguard/core'
import { verifyWebhook, type WebhookVariables, webhookHandler } from '@hookguard/hono'
import { Hono } from 'hono'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
type Events = { 'user.created': { type: 'user.created'; name: string }; 'user.deleted': { type: 'user.deleted'; fail?: boolean } }

describe('@hookguard/hono on Node over real HTTP', () => {
  let url: string
  let close: () => void
  const runs: string[] = []
  let failOnce = true

  beforeAll(async () => {
    const hooks = createWebhookHandler<Events>({ scheme: 'standard-webhooks', secret, maxBodyBytes: 64 * 1024 })
    hooks.on('user.*', (event) => {
      runs.push(event.type)
    })
    const mw = createWebhookHandler<Events>({ scheme: 'standard-webhooks', secret })
    const app = new Hono<{ Variables: WebhookVariables<Events> }>()
    app.post('/endpoint', webhookHandler(hooks))
    app.post('/middleware', verifyWebhook(mw), (c) => {
      const event = c.get('webhook')
      expectTypeOf(event.type).toEqualTypeOf<'user.created' | 'user.deleted'>()
      if (event.type === 'user.deleted' && failOnce) {
        failOnce = false
        throw new Error('downstream unavailable')
      }
      runs.push(`mw:${event.type}`)
      return c.json({ seen: event.type })
    })
    app.get('/other', (c) => c.text('untouched'))
    await new Promise<void>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`
        close = () => server.close()
        resolve()
      })
    })
  })
  afterAll(() => close?.())

  const post = async (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body })

  it('endpoint: verifies a delivery signed by the standardwebhooks library and routes it once', async () => {
    const body = JSON.stringify({ type: 'user.created', name: 'Ada' })
    const id = `msg_${Date.now()}`
    const signature = new Webhook(secret).sign(id, new Date(), body)
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': signature }
    const first = await post('/endpoint', body, headers)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ ok: true })
    const again = await post('/endpoint', body, headers)
    expect(await again.json()).toEqual({ ok: true, duplicate: true })
    expect(runs.filter((r) => r === 'user.created')).toHaveLength(1)
  })

  it('endpoint: tampered → 401, oversized → 413, GET → the app’s own routing', async () => {
    const body = JSON.stringify({ type: 'user.created', name: 'Eve' })
    const headers = await sign({ scheme: 'standard-webhooks', secret, body })
    const tampered = await post('/endpoint', body.replace('Eve', 'Mallory'), headers)
    expect(tampered.status).toBe(401)
    expect((await tampered.json()).error.code).toBe('signature_mismatch')
    const big = JSON.stringify({ type: 'user.created', pad: 'x'.repeat(100_000) })
    const oversized = await post('/endpoint', big, await sign({ scheme: 'standard-webhooks', secret, body: big }))
    expect(oversized.status).toBe(413)
    expect(await (await fetch(`${url}/other`)).text()).toBe('untouched')
  })

  it('middleware: typed event in the route; a thrown error releases the claim and the retry is processed', async () => {
    const body = JSON.stringify({ type: 'user.deleted' })
    const headers = await sign({ scheme: 'standard-webhooks', secret, body })
    const failed = await post('/middleware', body, headers)
    expect(failed.status).toBe(500)
    const retried = await post('/middleware', body, headers)
    expect(retried.status).toBe(200)
    expect(await retried.json()).toEqual({ seen: 'user.deleted' })
    const duplicate = await post('/middleware', body, headers)
    expect(await duplicate.json()).toEqual({ ok: true, duplicate: true })
    expect(runs.filter((r) => r === 'mw:user.deleted')).toHaveLength(1)
  })
})
