import { createWebhookHandler, sign } from '@hookguard/core'
import { verifyWebhook, webhookHandler } from '@hookguard/koa'
import { type AdapterServer, listen } from '@hookguard/testkit'
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import Koa3, { type Middleware } from 'koa'
import { koaBody } from 'koa-body'
import Koa2 from 'koa2'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'

declare module '@hookguard/koa' {
  interface Register {
    events: { 'invoice.paid': { data: { amount: number } }; 'invoice.voided': { data: { reason: string } } }
  }
}

const secret = `whsec_${Buffer.from('koa raw body tests').toString('base64')}`
const body = JSON.stringify({ type: 'invoice.paid', data: { amount: 1200 } })

async function deliver(url: string) {
  const headers = await sign({ scheme: 'standard-webhooks', secret, body })
  const res = await fetch(url, { method: 'POST', headers, body })
  return { status: res.status, json: (await res.json()) as any }
}

const hooksFor = () => createWebhookHandler({ scheme: 'standard-webhooks', secret }).on('*', (event) => ({ seen: event.type }))

for (const [major, Koa] of [
  ['koa 3', Koa3],
  ['koa 2', Koa2],
] as const) {
  describe(`${major}: raw body in every common setup`, () => {
    let server: AdapterServer | undefined
    afterEach(async () => {
      await server?.close()
      server = undefined
    })
    const start = async (parser: Middleware | undefined, route: Middleware[]) => {
      const app = new Koa()
      if (parser) app.use(parser)
      const router = new Router().all('/webhooks', ...route).post('/echo', (ctx) => {
        ctx.body = { parsed: (ctx.request as { body?: unknown }).body }
      })
      app.use(router.routes())
      server = await listen(app.callback())
      return server.url
    }

    it('reads ctx.req when no body parser ran', async () => {
      expect(await deliver(await start(undefined, [webhookHandler(hooksFor())]))).toEqual({ status: 200, json: { seen: 'invoice.paid' } })
    })

    it('uses ctx.request.rawBody from @koa/bodyparser, and other routes keep their parsed JSON', async () => {
      const url = await start(bodyParser(), [webhookHandler(hooksFor())])
      expect((await deliver(url)).status).toBe(200)
      const echo = await fetch(url.replace('/webhooks', '/echo'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      })
      expect(await echo.json()).toEqual({ parsed: { a: 1 } })
    })

    it('uses ctx.request.rawBody from koa-body with includeUnparsed', async () => {
      expect((await deliver(await start(koaBody({ includeUnparsed: true }), [webhookHandler(hooksFor())]))).status).toBe(200)
    })

    it('answers 500 raw_body_unavailable naming the fix when koa-body parsed without keeping the bytes (never hangs)', async () => {
      const res = await deliver(await start(koaBody(), [webhookHandler(hooksFor())]))
      expect(res.status).toBe(500)
      expect(res.json.error.code).toBe('raw_body_unavailable')
      expect(res.json.error.message).toContain('includeUnparsed: true')
    })

    it('types ctx.state.webhook from the registered events in the middleware style', async () => {
      const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret })
      const url = await start(bodyParser(), [
        verifyWebhook(hooks),
        (ctx) => {
          const event = ctx.state.webhook
          expectTypeOf(event.type).toEqualTypeOf<'invoice.paid' | 'invoice.voided'>()
          ctx.body = event.type === 'invoice.paid' ? { amount: event.payload.data.amount } : { other: event.type }
        },
      ])
      expect(await deliver(url)).toEqual({ status: 200, json: { amount: 1200 } })
    })
  })
}
