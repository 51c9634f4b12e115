import type { EventMap, WebhookHandler } from '@hookguard/core'
import type { Middleware } from 'koa'
import { sendResult, toWebhookRequest } from './request'

/**
 * Endpoint style: the whole pipeline (verify, claim, route to `hooks.on()` handlers, answer) as a
 * terminal middleware. Mount it for every method so a stray GET is answered 405 rather than 404.
 * @example router.all('/webhooks', webhookHandler(hooks))
 */
export function webhookHandler<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): Middleware {
  return async (ctx) => sendResult(ctx, await hooks.handle(toWebhookRequest(ctx)))
}
