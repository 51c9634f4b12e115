import type { IncomingMessage, ServerResponse } from 'node:http'
import { type EventMap, errorResult, WebhookError, type WebhookHandler, type WebhookResult } from '@hookguard/core'

/** The part of Next's `NextApiRequest` used here: the unread request stream (and `body`, set only when Next parsed it). */
export type ApiRequest = IncomingMessage & { body?: unknown }

/** A Pages Router API route: `export default …`. */
export type ApiRouteHandler = (req: ApiRequest, res: ServerResponse) => Promise<void>

/** The line a Pages Router webhook route needs, quoted in the error when it is missing. */
export const BODY_PARSER_CONFIG = 'export const config = { api: { bodyParser: false } }'

function send(res: ServerResponse, result: WebhookResult): void {
  res.statusCode = result.status
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value)
  res.end(result.body)
}

/**
 * A Pages Router API route that reads the raw request stream, verifies, de-duplicates and routes to `hooks.on(…)` handlers.
 * The route file must turn Next's body parser off (the signature covers the exact bytes):
 * @example
 * export const config = { api: { bodyParser: false } }
 * export default webhookApiRoute(hooks)
 */
export function webhookApiRoute<TEvents extends EventMap>(hooks: WebhookHandler<TEvents>): ApiRouteHandler {
  return async (req, res) => {
    // Next's body parser sets `req.body` (an object for JSON, a string otherwise) after draining the stream;
    // re-serialising it would not give back the signed bytes, so say which line fixes it instead.
    if (req.body !== undefined) {
      const message = `@hookguard/next: Next.js already parsed this request body, so the signed bytes are gone. Add \`${BODY_PARSER_CONFIG}\` to this API route file.`
      return send(res, errorResult(new WebhookError('raw_body_unavailable', message)))
    }
    send(res, await hooks.handle({ method: req.method, headers: req.headers, body: req }))
  }
}
