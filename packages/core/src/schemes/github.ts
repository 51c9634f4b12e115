import { hmac } from './hmac'
import { stringField, type WebhookScheme } from './types'

/** Options for {@link github}. */
export interface GithubSchemeOptions {
  /** How long a handled `X-GitHub-Delivery` id is remembered (GitHub signs no timestamp). @default 86400 */
  retentionSeconds?: number
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body, `X-GitHub-Delivery` as the id,
 * `X-GitHub-Event` (+ the payload's `action`) as the type, e.g. `issues.opened`.
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function github(options: GithubSchemeOptions = {}): WebhookScheme {
  const base = hmac({
    name: 'github',
    signatureHeader: 'x-hub-signature-256',
    prefix: 'sha256=',
    idHeader: 'x-github-delivery',
    typeHeader: 'x-github-event',
    retentionSeconds: options.retentionSeconds ?? 86_400,
  })
  return {
    ...base,
    write(output) {
      const headers = base.write({ ...output, type: output.type?.split('.')[0] })
      return headers
    },
    eventType(parts, payload) {
      const action = stringField(payload, 'action')
      if (!parts.type) return undefined
      return action ? `${parts.type}.${action}` : parts.type
    },
  }
}
