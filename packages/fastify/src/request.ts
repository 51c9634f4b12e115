import { type BodySource, type WebhookRequest, type WebhookResult, withRawBodyHint } from '@hookguard/core'
import type { FastifyReply, FastifyRequest } from 'fastify'

const HINT =
  "Fastify: serve the route through the hookguard plugin (it scopes a raw-body parser to its routes), and don't let a preParsing hook drain the payload."

/**
 * Fastify request → core's input. Inside the plugin the body is the payload stream our content-type
 * parser handed over (after any `preParsing` hook); elsewhere a Buffer from your own parser, or the
 * raw request stream, which core refuses with `raw_body_unavailable` when a parser already read it.
 */
export function toWebhookRequest(request: FastifyRequest): WebhookRequest {
  const body = request.body == null ? request.raw : (request.body as BodySource)
  return { method: request.method, headers: request.headers, body: withRawBodyHint(body, HINT) }
}

/** Core's result → Fastify reply, so `onSend`/`onResponse` hooks and logging still see it. */
export function sendResult(reply: FastifyReply, result: WebhookResult): FastifyReply {
  return reply.code(result.status).headers(result.headers).send(result.body)
}
