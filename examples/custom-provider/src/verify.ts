import { createWebhookVerifier, hmac, type WebhookScheme, type WebhookVerifier } from '@hookguard/core'

/**
 * The IM platform's callbacks: `X-Callback-Id`, `X-Callback-Timestamp` (Unix seconds) and
 * `X-Callback-Signature` = hex HMAC-SHA256(apiSecret, `${id}.${timestamp}.${body}`).
 * Signing the id and the timestamp is what makes the clock check and replay protection trustworthy.
 */
export const imPlatform: WebhookScheme = hmac({
  name: 'im-platform',
  signatureHeader: 'X-Callback-Signature',
  idHeader: 'X-Callback-Id',
  timestampHeader: 'X-Callback-Timestamp',
  template: '${id}.${timestamp}.${body}',
  typeField: 'event', // the payload's `event` field names the callback, e.g. `message.created`
})

/** A verifier for the platform's callbacks; pass two secrets while you rotate the API secret. */
export function createCallbackVerifier(apiSecret: string | readonly string[], now?: () => number): WebhookVerifier {
  return createWebhookVerifier({ scheme: imPlatform, secret: apiSecret, ...(now ? { now } : {}) })
}
