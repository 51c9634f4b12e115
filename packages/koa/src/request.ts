import { type BodySource, type WebhookRequest, type WebhookResult, withRawBodyHint } from '@hookguard/core'
import type { Context } from 'koa'

const HINT =
  'Koa: put the webhook route before the body parser, or keep the bytes: @koa/bodyparser sets ctx.request.rawBody, ' +
  'koa-body does with { includeUnparsed: true }.'

/** The exact bytes, in the order of trust: a body parser's kept `rawBody`, a raw Buffer body, else the request stream. */
function rawBodyOf(ctx: Context): BodySource {
  const request = ctx.request as { rawBody?: unknown; body?: unknown }
  const kept = request.rawBody ?? request.body
  return kept instanceof Uint8Array || typeof kept === 'string' ? kept : withRawBodyHint(ctx.req, HINT)
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
