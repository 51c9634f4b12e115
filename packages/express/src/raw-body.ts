import { type BodySource, type WebhookRequest, withRawBodyHint } from '@hookguard/core'
import type { Request } from 'express'

const HINT =
  'Express: mount the webhook route before app.use(express.json()), or give it ' +
  "express.raw({ type: '*/*' }), or keep the bytes with express.json({ verify: keepRawBody })."

/**
 * A body parser `verify` callback that keeps the exact bytes on `req.rawBody`, for apps that must
 * parse JSON before the webhook route.
 * @example app.use(express.json({ verify: keepRawBody }))
 */
export function keepRawBody(req: object, _res: unknown, buffer: Uint8Array): void {
  ;(req as { rawBody?: Uint8Array }).rawBody = buffer
}

/** The exact bytes, in the order of trust: kept raw bytes, `express.raw()`'s Buffer, else the request stream. */
function rawBodyOf(req: Request): BodySource {
  const kept: unknown = (req as { rawBody?: unknown }).rawBody ?? req.body
  return kept instanceof Uint8Array || typeof kept === 'string' ? kept : withRawBodyHint(req, HINT)
}

/** Express request → core's input. */
export function toWebhookRequest(req: Request): WebhookRequest {
  return { method: req.method, headers: req.headers, body: rawBodyOf(req) }
}
