import type { AnyEvent, EventMap, RegisteredEvent, RegisteredEvents, WebhookHandler, WebhookResult } from '@hookguard/core'
import type { Context, MiddlewareHandler } from 'hono'

/**
 * The context variables `verifyWebhook` sets: `c.get('webhook')` is the verified event, typed by
 * `TEvents`, by default by the event map declared once on core's `Register`.
 */
export type WebhookVariables<TEvents extends EventMap = RegisteredEvents> = { webhook: AnyEvent<TEvents> }

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified, claimed event (typed by core's `Register`). Set only behind `verifyWebhook()`. */
    webhook: RegisteredEvent
  }
}

function send(result: WebhookResult): Response {
  return new Response(result.body, { status: result.status, headers: result.headers })
}

/**
 * Endpoint style: the whole pipeline (verify, claim, route to `hooks.on()` handlers, answer).
 * @example app.post('/webhooks', webhookHandler(hooks))
 */
export function webhookHandler<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): (c: Context) => Promise<Response> {
  // Hono's `c.req.raw` is the untouched WHATWG Request, so the exact bytes are always there.
  return (c) => hooks.fetch(c.req.raw)
}

/**
 * Middleware style: verifies and claims the delivery, puts the typed event at `c.get('webhook')`,
 * and settles the claim from your route's response: 2xx completes it; ≥ 400 or a throw releases
 * it so the provider's retry is processed, and so does a client that disconnected before the answer.
 * @example app.post('/webhooks', verifyWebhook(hooks), (c) => { const event = c.get('webhook'); … return c.json({ ok: true }) })
 */
export function verifyWebhook<TEvents extends EventMap>(
  hooks: WebhookHandler<TEvents>,
): MiddlewareHandler<{ Variables: WebhookVariables<TEvents> }> {
  return async (c, next) => {
    const request = c.req.raw
    const receipt = await hooks.receive({ method: request.method, headers: request.headers, body: request.body })
    if (!receipt.accepted) return send(receipt.result)
    c.set('webhook', receipt.event)
    // A client that goes away before the answer never saw a 2xx and will retry: release at once
    // (settle is idempotent, so the route's later status is ignored).
    const onAbort = () => void receipt.settle(new Error('the client closed the connection before the response'))
    request.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      await next()
    } catch (error) {
      request.signal?.removeEventListener('abort', onAbort)
      await receipt.settle(error)
      throw error
    }
    request.signal?.removeEventListener('abort', onAbort)
    // Hono catches route errors into c.error and a 500 response; either releases the claim.
    await receipt.settle(c.error ?? c.res.status)
  }
}
