import { type BodySource, WebhookError, type WebhookRequest, type WebhookResult } from '@hookguard/core'
import type { Context } from 'koa'

const PARSED_FIRST =
  '@hookguard/koa: a body parser already read this request, so its exact bytes are gone and no signature can match. ' +
  'Put the webhook route before the body parser, or keep the bytes: @koa/bodyparser sets ctx.request.rawBody, ' +
  'koa-body does with { includeUnparsed: true }.'

// Hands core an error to raise at its "read the body" step, so the method check, the observer and
// the response shape stay core's while the message names the Koa fix.
const unavailable: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new WebhookError('raw_body_unavailable', PARSED_FIRST)) }),
}

/** The exact bytes, in the order of trust: a body parser's kept `rawBody`, a raw Buffer body, the unread stream. */
function rawBodyOf(ctx: Context): BodySource {
  const request = ctx.request as { rawBody?: unknown; body?: unknown }
  const kept = request.rawBody ?? request.body
  if (kept instanceof Uint8Array || typeof kept === 'string') return kept
  // Nothing read the stream yet: core reads it, stopping at maxBodyBytes.
  if (!ctx.req.readableDidRead && !ctx.req.readableEnded) return ctx.req
  return unavailable
}

/** Koa context → core's input. */
export function toWebhookRequest(ctx: Context): WebhookRequest {
  return { method: ctx.method, headers: ctx.headers, body: rawBodyOf(ctx) }
}

/** Core's result → Koa response (headers first, so Koa keeps core's content type). */
export function sendResult(ctx: Context, result: WebhookResult): void {
  ctx.status = result.status
  ctx.set(result.headers)
  ctx.body = result.body
}
