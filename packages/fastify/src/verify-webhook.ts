import { type EventMap, settleOnFinish, type WebhookHandler } from '@hookguard/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RequestWebhook } from './register'
import { sendResult, toWebhookRequest } from './request'

/**
 * Middleware style, as a `preHandler`: verifies and claims the delivery, puts the event on
 * `request.webhook`, and lets your handler answer. The claim settles from the final response: 2xx
 * completes it; ≥ 400 (a thrown error becomes Fastify's 500) or a connection closed before the
 * response releases it for the retry. The route needs the raw body: use it through the `hookguard`
 * plugin's `handler` option, which scopes the raw-body parser to that route.
 */
export function verifyWebhook<TEvents extends EventMap>(
  hooks: WebhookHandler<TEvents>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    const receipt = await hooks.receive(toWebhookRequest(request))
    if (!receipt.accepted) return sendResult(reply, receipt.result)
    request.webhook = receipt.event as RequestWebhook
    settleOnFinish(reply.raw, receipt.settle)
    return undefined
  }
}
