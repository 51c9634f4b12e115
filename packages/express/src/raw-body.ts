import { type BodySource, WebhookError, type WebhookRequest } from '@hookguard/core'
import type { Request } from 'express'

const PARSED_FIRST =
  '@hookguard/express: a body parser (express.json(), express.urlencoded()…) already read this request, so its exact bytes ' +
  'are gone and no signature can match. Mount the webhook route before app.use(express.json()), or give it ' +
  "express.raw({ type: '*/*' }), or keep the bytes with express.json({ verify: keepRawBody })."

// Hands core an error to raise at its "read the body" step, so the method check, the observer and
// the response shape stay core's while the message names the Express fix.
const unavailable: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new WebhookError('raw_body_unavailable', PARSED_FIRST)) }),
}

/**
 * A body parser `verify` callback that keeps the exact bytes on `req.rawBody`, for apps that must
 * parse JSON before the webhook route.
 * @example app.use(express.json({ verify: keepRawBody }))
 */
export function keepRawBody(req: object, _res: unknown, buffer: Uint8Array): void {
  ;(req as { rawBody?: Uint8Array }).rawBody = buffer
}

/** The exact bytes, in the order of trust: kept raw bytes, `express.raw()`'s Buffer, the unread stream. */
function rawBodyOf(req: Request): BodySource {
  const kept: unknown = (req as { rawBody?: unknown }).rawBody ?? req.body
  if (kept instanceof Uint8Array || typeof kept === 'string') return kept
  // Nothing read the stream yet: core reads it, stopping at maxBodyBytes.
  if (!req.readableDidRead && !req.readableEnded) return req
  return unavailable
}

/** Express request → core's input. */
export function toWebhookRequest(req: Request): WebhookRequest {
  return { method: req.method, headers: req.headers, body: rawBodyOf(req) }
}
