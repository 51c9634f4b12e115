import type { EventMap, WebhookHandler, WebhookResult } from '@hookguard/core'
import type { RequestHandler, Response } from 'express'
import { toWebhookRequest } from './raw-body'

/** Core's result → Express response. `end()`, not `send()`: the body is final JSON (no ETag, no re-encoding). */
export function sendResult(res: Response, result: WebhookResult): void {
  res.status(result.status).set(result.headers).end(result.body)
}

/**
 * Endpoint style: the whole pipeline (verify, claim, route to `hooks.on()` handlers, answer) as a route.
 * Mount it with `app.all()` so a stray GET is answered 405 rather than 404.
 * @example app.all('/webhooks', webhookHandler(hooks))
 */
export function webhookHandler<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): RequestHandler {
  return (req, res, next) => {
    hooks.handle(toWebhookRequest(req)).then((result) => sendResult(res, result), next)
  }
}
