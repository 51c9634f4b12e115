import { createServer, type Server } from 'node:http'
import { createWebhookHandler } from '@hookguard/core'
import type { Logger } from 'pino'
import { pinoObserver } from './observer'

type StripeEvents = {
  'invoice.paid': { id: string; data: { object: { amount_paid: number } } }
  'invoice.payment_failed': { id: string }
}

/** A plain Node server receiving Stripe webhooks, logging every outcome through pino. */
export function createWebhookServer(options: { secret: string; logger: Logger }): Server {
  const hooks = createWebhookHandler<StripeEvents>({
    scheme: 'stripe',
    secret: options.secret,
    onEvent: pinoObserver(options.logger),
  })
  hooks.on('invoice.paid', async (event) => {
    options.logger.info({ invoice: event.payload.id, amount: event.payload.data.object.amount_paid }, 'invoice paid')
  })
  hooks.on('invoice.payment_failed', () => {
    throw new Error('billing service unavailable')
  })
  return createServer(async (req, res) => {
    const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
    res.writeHead(result.status, result.headers).end(result.body)
  })
}
