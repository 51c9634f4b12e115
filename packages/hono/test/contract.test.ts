import { getRequestListener } from '@hono/node-server'
import type { WebhookEvent } from '@hookguard/core'
import { verifyWebhook, webhookHandler } from '@hookguard/hono'
import { describeAdapterContract, listen } from '@hookguard/testkit'
import { Hono } from 'hono'

describeAdapterContract('@hookguard/hono (endpoint, @hono/node-server)', {
  style: 'endpoint',
  start: async (hooks) => {
    const app = new Hono()
    app.all('/webhooks', webhookHandler(hooks))
    return listen(getRequestListener(app.fetch))
  },
})

describeAdapterContract('@hookguard/hono (middleware, @hono/node-server)', {
  style: 'middleware',
  start: async (hooks, route) => {
    const app = new Hono<{ Variables: { webhook: WebhookEvent } }>()
    app.all('/webhooks', verifyWebhook(hooks), async (c) => {
      const reply = await route(c.get('webhook'))
      return c.json(reply.body as object, reply.status as 200)
    })
    return listen(getRequestListener(app.fetch))
  },
})
