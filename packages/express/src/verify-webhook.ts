import { type EventMap, settleOnFinish, type WebhookHandler } from '@hookguard/core'
import type { RequestHandler } from 'express'
import { toWebhookRequest } from './raw-body'
import type { RequestWebhook } from './register'
import { sendResult } from './webhook-handler'

/**
 * Middleware style: verifies and claims the delivery, puts the event on `req.webhook`, and lets your
 * route answer. The claim settles from the final response: 2xx completes it; ≥ 400 (a thrown error
 * becomes Express's 500) or a connection closed before the response releases it for the retry.
 * @example app.post('/webhooks', verifyWebhook(hooks), (req, res) => { req.webhook.type; res.sendStatus(200) })
 */
export function verifyWebhook<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): RequestHandler {
  return (req, res, next) => {
    hooks.receive(toWebhookRequest(req)).then((receipt) => {
      if (!receipt.accepted) return sendResult(res, receipt.result)
      req.webhook = receipt.event as RequestWebhook
      settleOnFinish(res, receipt.settle)
      next()
    }, next)
  }
}
