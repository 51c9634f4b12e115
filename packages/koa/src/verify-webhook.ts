import { type EventMap, settleOnFinish, type WebhookHandler } from '@hookguard/core'
import type { Middleware } from 'koa'
import type { StateWebhook } from './register'
import { sendResult, toWebhookRequest } from './request'

/**
 * Middleware style: verifies and claims the delivery, puts the event on `ctx.state.webhook`, and
 * lets the next middleware answer. The claim settles from the final response: 2xx completes it;
 * ≥ 400, an error thrown downstream, or a connection closed before the response releases it.
 * @example router.post('/webhooks', verifyWebhook(hooks), (ctx) => { ctx.state.webhook.type; ctx.status = 200 })
 */
export function verifyWebhook<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): Middleware {
  return async (ctx, next) => {
    const receipt = await hooks.receive(toWebhookRequest(ctx))
    if (!receipt.accepted) return sendResult(ctx, receipt.result)
    ctx.state.webhook = receipt.event as StateWebhook
    settleOnFinish(ctx.res, receipt.settle)
    try {
      await next()
    } catch (error) {
      // Settle now: an outer error handler may still turn this into a 2xx, but the work failed.
      void receipt.settle(error)
      throw error
    }
  }
}
