/**
 * Headers worth keeping: what the handler may need again (content type to re-parse the body) and
 * what identifies a delivery for an operator. Signatures and shared tokens are deliberately absent:
 * the delivery is verified before it is stored, and a stored secret is a leak waiting to happen.
 */
export const DEFAULT_KEPT_HEADERS: readonly string[] = [
  'content-type',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'svix-id',
  'svix-timestamp',
  'x-github-delivery',
  'x-github-event',
  'x-github-hook-id',
  'x-github-hook-installation-target-id',
  'x-github-hook-installation-target-type',
  'x-shopify-topic',
  'x-shopify-shop-domain',
  'x-shopify-webhook-id',
  'x-shopify-event-id',
  'x-shopify-triggered-at',
  'x-shopify-api-version',
  'x-slack-request-timestamp',
  'x-slack-retry-num',
  'x-slack-retry-reason',
]

export function keptHeaders(names: readonly string[] | undefined): string[] {
  const list = (names ?? DEFAULT_KEPT_HEADERS).map((name) => name.toLowerCase())
  // The worker re-parses the body with its content type, so that one is always kept.
  return [...new Set(['content-type', ...list])]
}
