import { createGunzip, gzipSync } from 'node:zlib'
import { createWebhookHandler, sign } from '@hookguard/core'
import { hookguard } from '@hookguard/fastify'
import fastify5 from 'fastify'
import fastify4 from 'fastify4'
import { describe, expect, expectTypeOf, it } from 'vitest'

declare module '@hookguard/fastify' {
  interface Register {
    events: { 'invoice.paid': { data: { amount: number } }; 'invoice.voided': { data: { reason: string } } }
  }
}

const secret = `whsec_${Buffer.from('fastify plugin tests').toString('base64')}`
const body = JSON.stringify({ type: 'invoice.paid', data: { amount: 1200 } })
const hooksFor = () =>
  createWebhookHandler({ scheme: 'standard-webhooks', secret, maxBodyBytes: 1024 }).on('*', (event) => ({ seen: event.type }))

for (const [major, fastify] of [
  ['fastify 5', fastify5],
  ['fastify 4', fastify4],
] as const) {
  describe(`${major}: the hookguard plugin`, () => {
    it('serves deliveries through fastify.inject (endpoint style)', async () => {
      const app = fastify()
      app.register(hookguard, { hooks: hooksFor(), path: '/webhooks' })
      const headers = await sign({ scheme: 'standard-webhooks', secret, body })
      const ok = await app.inject({ method: 'POST', url: '/webhooks', headers, payload: body })
      expect(ok.statusCode).toBe(200)
      expect(ok.json()).toEqual({ seen: 'invoice.paid' })
      const tampered = await app.inject({ method: 'POST', url: '/webhooks', headers, payload: body.replace('1200', '1') })
      expect(tampered.statusCode).toBe(401)
      expect(tampered.json().error.code).toBe('signature_mismatch')
      const big = await app.inject({ method: 'POST', url: '/webhooks', headers, payload: 'x'.repeat(4096) })
      expect(big.statusCode).toBe(413)
      expect(big.json().error.code).toBe('body_too_large')
      const get = await app.inject({ method: 'GET', url: '/webhooks' })
      expect(get.statusCode).toBe(405)
      expect(get.headers.allow).toBe('POST')
      await app.close()
    })

    it('keeps the raw-body parser inside its own scope: other routes still parse JSON', async () => {
      const app = fastify()
      app.register(hookguard, { hooks: hooksFor(), path: '/webhooks' })
      app.post('/echo', async (request) => ({ parsed: request.body }))
      app.register(
        async (scope) => {
          scope.post('/echo', async (request) => ({ parsed: request.body }))
        },
        { prefix: '/nested' },
      )
      for (const url of ['/echo', '/nested/echo']) {
        const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"a":1}' })
        expect(res.json()).toEqual({ parsed: { a: 1 } })
      }
      const headers = await sign({ scheme: 'standard-webhooks', secret, body })
      expect((await app.inject({ method: 'POST', url: '/webhooks', headers, payload: body })).statusCode).toBe(200)
      await app.close()
    })

    it("sends errors through Fastify's reply, so the app's hooks see them", async () => {
      const app = fastify()
      const seen: number[] = []
      app.addHook('onResponse', async (_request, reply) => {
        seen.push(reply.statusCode)
      })
      app.register(hookguard, { hooks: hooksFor(), path: '/webhooks' })
      const headers = await sign({ scheme: 'standard-webhooks', secret, body })
      const forged = await sign({ scheme: 'standard-webhooks', secret: `whsec_${Buffer.from('forged').toString('base64')}`, body })
      await app.inject({ method: 'POST', url: '/webhooks', headers: forged, payload: body })
      await app.inject({ method: 'POST', url: '/webhooks', headers, payload: body })
      expect(seen).toEqual([401, 200])
      await app.close()
    })

    it('runs the middleware style with a typed request.webhook, under a register prefix', async () => {
      const app = fastify()
      app.register(hookguard, {
        prefix: '/hooks',
        hooks: hooksFor(),
        path: '/stripe',
        handler: async (request, reply) => {
          expectTypeOf(request.webhook.type).toEqualTypeOf<'invoice.paid' | 'invoice.voided'>()
          if (request.webhook.type === 'invoice.paid') return reply.send({ amount: request.webhook.payload.data.amount })
          return reply.code(422).send({ unexpected: request.webhook.type })
        },
      })
      const headers = await sign({ scheme: 'standard-webhooks', secret, body })
      const res = await app.inject({ method: 'POST', url: '/hooks/stripe', headers, payload: body })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ amount: 1200 })
      const again = await app.inject({ method: 'POST', url: '/hooks/stripe', headers, payload: body })
      expect(again.json()).toEqual({ ok: true, duplicate: true })
      await app.close()
    })

    it('verifies the stream a parent preParsing hook hands over (gzip decoding)', async () => {
      const app = fastify()
      app.addHook('preParsing', async (request, _reply, payload) =>
        request.headers['content-encoding'] === 'gzip' ? payload.pipe(createGunzip()) : payload,
      )
      app.register(hookguard, { hooks: hooksFor(), path: '/webhooks' })
      const headers = await sign({ scheme: 'standard-webhooks', secret, body })
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks',
        headers: { ...headers, 'content-encoding': 'gzip' },
        payload: gzipSync(body),
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ seen: 'invoice.paid' })
      await app.close()
    })

    it('refuses a body a parent preParsing hook already consumed instead of hanging', async () => {
      const app = fastify()
      app.addHook('preParsing', async (request, _reply, payload) => {
        for await (const _ of payload) {
          // a misbehaving hook that drains the stream
        }
        return request.raw
      })
      app.register(hookguard, { hooks: hooksFor(), path: '/webhooks' })
      const headers = await sign({ scheme: 'standard-webhooks', secret, body })
      const res = await app.inject({ method: 'POST', url: '/webhooks', headers, payload: body })
      expect(res.statusCode).toBe(500)
      expect(res.json().error.code).toBe('raw_body_unavailable')
      expect(res.json().error.message).toContain('Fastify: serve the route through the hookguard plugin')
      await app.close()
    })
  })
}
