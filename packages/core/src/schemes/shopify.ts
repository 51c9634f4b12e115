import { hmac } from './hmac'
import type { WebhookScheme } from './types'

/** Options for {@link shopify}. */
export interface ShopifySchemeOptions {
  /** How long a handled `X-Shopify-Webhook-Id` is remembered (Shopify signs no timestamp). @default 86400 */
  retentionSeconds?: number
}

/**
 * Shopify: `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the body), `X-Shopify-Webhook-Id` as the id,
 * `X-Shopify-Topic` (e.g. `orders/create`) as the type.
 * @see https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 */
export function shopify(options: ShopifySchemeOptions = {}): WebhookScheme {
  return hmac({
    name: 'shopify',
    signatureHeader: 'x-shopify-hmac-sha256',
    encoding: 'base64',
    idHeader: 'x-shopify-webhook-id',
    typeHeader: 'x-shopify-topic',
    retentionSeconds: options.retentionSeconds ?? 86_400,
  })
}
