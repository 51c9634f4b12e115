import { type AnyEvent, type EventMap, errorResult, WebhookError, type WebhookHandler, type WebhookResult } from '@hookguard/core'

/** An App Router route handler: `export const POST = …`. */
export type RouteHandler = (request: Request) => Promise<Response>

/** Your code for a verified event; the returned Response's status settles the delivery (2xx completes, else releases). */
export type WebhookRouteHandler<TEvent> = (event: TEvent, request: Request) => Response | Promise<Response>

const toResponse = (result: WebhookResult) => new Response(result.body, { status: result.status, headers: result.headers })

/**
 * An App Router route handler that verifies, de-duplicates and routes to `hooks.on(…)` handlers.
 * Runs on the Node.js runtime (node:crypto) and on the Edge runtime (Web Crypto, picked by export conditions).
 * @example export const POST = webhookRoute(hooks)
 */
export function webhookRoute<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): RouteHandler {
  return (request) => hooks.fetch(request)
}

/**
 * An App Router route handler that hands the verified, typed event to your own code and answers with its Response.
 * A 2xx Response completes the delivery; any other status, or a throw, releases it so the provider's retry is processed.
 * @example export const POST = withWebhook(hooks, async (event) => Response.json({ received: event.id }))
 */
export function withWebhook<TEvents extends EventMap>(
  hooks: WebhookHandler<TEvents>,
  handler: WebhookRouteHandler<AnyEvent<TEvents>>,
): RouteHandler {
  return async (request) => {
    // Next hands route handlers an unread body; hooks.receive reads it as the raw bytes it verifies.
    const receipt = await hooks.receive({ method: request.method, headers: request.headers, body: request.body })
    if (!receipt.accepted) return toResponse(receipt.result)
    // Next aborts `request.signal` when the sender hangs up before the answer: it will retry, so let the retry in.
    const onAbort = () => void receipt.settle(new Error('@hookguard/next: the sender went away before the answer'))
    request.signal?.addEventListener('abort', onAbort, { once: true })
    let response: Response
    try {
      response = await handler(receipt.event, request)
      if (typeof response?.status !== 'number') throw new TypeError('@hookguard/next: the withWebhook handler must return a Response')
    } catch (error) {
      await receipt.settle(error instanceof Error ? error : new Error(String(error)))
      // The thrown message may hold anything (secrets included), so the body carries only the code.
      return toResponse(
        errorResult(new WebhookError('handler_failed', '@hookguard/next: the handler failed; the delivery was released for a retry')),
      )
    } finally {
      request.signal?.removeEventListener('abort', onAbort)
    }
    await receipt.settle(response.status)
    return response
  }
}
