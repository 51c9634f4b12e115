import type { EventMap, SettleOutcome, WebhookHandler } from '@hookguard/core'
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
    const settle = (outcome: SettleOutcome) => void receipt.settle(outcome)
    const res = reply.raw
    res.once('finish', () => settle(res.statusCode))
    res.once('close', () => res.writableFinished || settle(new Error('the connection closed before the response was sent')))
    return undefined
  }
}
