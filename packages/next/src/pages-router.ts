import type { IncomingMessage, ServerResponse } from 'node:http'
import { type EventMap, type WebhookHandler, type WebhookResult, withRawBodyHint } from '@hookguard/core'

/** The part of Next's `NextApiRequest` used here: the unread request stream (and `body`, set only when Next parsed it). */
export type ApiRequest = IncomingMessage & { body?: unknown }

/** A Pages Router API route: `export default …`. */
export type ApiRouteHandler = (req: ApiRequest, res: ServerResponse) => Promise<void>

/** The line a Pages Router webhook route needs, quoted in the error when it is missing. */
export const BODY_PARSER_CONFIG = 'export const config = { api: { bodyParser: false } }'

const HINT = `Next.js: add \`${BODY_PARSER_CONFIG}\` to this API route file.`

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
    // Next's body parser drains the stream (and sets `req.body`); core then refuses it as
    // raw_body_unavailable, and this names the line that fixes it.
    send(res, await hooks.handle({ method: req.method, headers: req.headers, body: withRawBodyHint(req, HINT) }))
  }
}
