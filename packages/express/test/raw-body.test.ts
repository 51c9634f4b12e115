import { createWebhookHandler, sign } from '@hookguard/core'
import { keepRawBody, verifyWebhook, webhookHandler } from '@hookguard/express'
import { type AdapterServer, listen } from '@hookguard/testkit'
import express5 from 'express'
import express4 from 'express4'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'

declare module '@hookguard/express' {
  interface Register {
    events: { 'invoice.paid': { data: { amount: number } }; 'invoice.voided': { data: { reason: string } } }
  }
}

const secret = `whsec_${Buffer.from('express raw body tests').toString('base64')}`
const body = JSON.stringify({ type: 'invoice.paid', data: { amount: 1200 } })

async function deliver(url: string) {
  const headers = await sign({ scheme: 'standard-webhooks', secret, body })
  const res = await fetch(url, { method: 'POST', headers, body })
  return { status: res.status, json: (await res.json()) as any }
}

function hooksFor() {
  return createWebhookHandler({ scheme: 'standard-webhooks', secret }).on('*', (event) => ({ type: event.type, payload: event.payload }))
}

for (const [major, express] of [
  ['express 5', express5],
  ['express 4', express4],
] as const) {
  describe(`${major}: raw body in every common setup`, () => {
    let server: AdapterServer | undefined
    afterEach(async () => {
      await server?.close()
      server = undefined
    })

    it('reads the untouched stream when no body parser ran', async () => {
      const app = express()
      app.all('/webhooks', webhookHandler(hooksFor()))
      server = await listen(app)
      expect(await deliver(server.url)).toEqual({ status: 200, json: { type: 'invoice.paid', payload: JSON.parse(body) } })
    })

    it("accepts express.raw()'s Buffer", async () => {
      const app = express()
      app.post('/webhooks', express.raw({ type: '*/*' }), webhookHandler(hooksFor()))
      server = await listen(app)
      expect((await deliver(server.url)).status).toBe(200)
    })

    it('accepts req.rawBody kept by a verify callback, and other routes keep their parsed JSON', async () => {
      const app = express()
      app.use(express.json({ verify: keepRawBody }))
      app.post('/webhooks', webhookHandler(hooksFor()))
      app.post('/echo', (req, res) => {
        res.json({ parsed: req.body })
      })
      server = await listen(app)
      expect((await deliver(server.url)).status).toBe(200)
      const echo = await fetch(server.url.replace('/webhooks', '/echo'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      })
      expect(await echo.json()).toEqual({ parsed: { a: 1 } })
    })

    for (const [parser, mount] of [
      ['express.json()', () => express.json()],
      ['express.urlencoded()', () => express.urlencoded({ extended: false, type: '*/*' })],
    ] as const) {
      it(`answers 500 raw_body_unavailable naming the fix when ${parser} ran first (never hangs, never re-serialises)`, async () => {
        const app = express()
        app.use(mount())
        app.all('/webhooks', webhookHandler(hooksFor()))
        server = await listen(app)
        const res = await deliver(server.url)
        expect(res.status).toBe(500)
        expect(res.json.error.code).toBe('raw_body_unavailable')
        expect(res.json.error.message).toContain("express.raw({ type: '*/*' })")
        expect(res.json.error.message).toContain('before app.use(express.json())')
      })
    }

    it('still answers 405 (not 500) to a GET behind express.json()', async () => {
      const app = express()
      app.use(express.json())
      app.all('/webhooks', webhookHandler(hooksFor()))
      server = await listen(app)
      expect((await fetch(server.url)).status).toBe(405)
    })

    it('types req.webhook from the registered events in the middleware style', async () => {
      const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret })
      const app = express()
      app.post('/webhooks', express.json({ verify: keepRawBody }), verifyWebhook(hooks), (req, res) => {
        expectTypeOf(req.webhook.type).toEqualTypeOf<'invoice.paid' | 'invoice.voided'>()
        if (req.webhook.type === 'invoice.paid') expectTypeOf(req.webhook.payload).toEqualTypeOf<{ data: { amount: number } }>()
        res.json({ seen: req.webhook.type, parsedByExpress: req.body })
      })
      server = await listen(app)
      const res = await deliver(server.url)
      expect(res).toEqual({ status: 200, json: { seen: 'invoice.paid', parsedByExpress: JSON.parse(body) } })
    })
  })
}
