import { createWebhookHandler } from '@hookguard/core'
import { hookguard } from '@hookguard/fastify'
import Fastify from 'fastify'

export function createApp({ secret, log = console.log }) {
  const app = Fastify()

  // Endpoint style: hookguard answers, your `on()` handlers do the work.
  const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret })
  hooks.on('user.created', (event) => log(`welcome ${event.payload.data.email}`))
  app.register(hookguard, { hooks, path: '/webhooks/users' })

  // Middleware style: hookguard verifies and claims, your handler answers (2xx completes the claim).
  const billing = createWebhookHandler({ scheme: 'standard-webhooks', secret })
  app.register(hookguard, {
    hooks: billing,
    path: '/webhooks/billing',
    handler: async (request) => {
      log(`billing event ${request.webhook.type}`)
      return { ok: true }
    },
  })

  // The plugin's raw-body parser is scoped to its own routes: this one still gets parsed JSON.
  app.post('/api/echo', async (request) => request.body)
  return app
}
