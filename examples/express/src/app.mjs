import { createWebhookHandler } from '@hookguard/core'
import { verifyWebhook, webhookHandler } from '@hookguard/express'
import express from 'express'

export function createApp({ stripeSecret, ordersSecret, log = console.log }) {
  // Endpoint style: hookguard answers, your `on()` handlers do the work.
  const stripe = createWebhookHandler({ scheme: 'stripe', secret: stripeSecret })
  stripe.on('invoice.paid', (event) => log(`invoice ${event.payload.data.object.id} paid`))

  // Middleware style: hookguard verifies and claims, your route answers.
  const orders = createWebhookHandler({ scheme: 'standard-webhooks', secret: ordersSecret })

  const app = express()
  // Webhook routes come BEFORE express.json(): they need the exact bytes the provider signed.
  app.all('/webhooks/stripe', webhookHandler(stripe))
  app.post('/webhooks/orders', verifyWebhook(orders), (req, res) => {
    log(`order event ${req.webhook.type} (${req.webhook.id})`)
    res.json({ ok: true })
  })

  app.use(express.json())
  app.post('/api/echo', (req, res) => res.json(req.body))
  return app
}
