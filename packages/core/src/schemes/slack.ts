import { hmac } from './hmac'
import { field, stringField, type WebhookScheme } from './types'

/** Options for {@link slack}. */
export interface SlackSchemeOptions {
  /** @default 300 */
  toleranceSeconds?: number
}

/**
 * Slack: `X-Slack-Signature: v0=<hex>` over `v0:${timestamp}:${body}`, `X-Slack-Request-Timestamp`.
 * Slack sends no delivery id, so the replay key is a digest of timestamp + signature.
 * The type is the Events API inner `event.type` (`app_mention`), else `payload.type`
 * (`url_verification`, `block_actions`), else `slash_command` for slash commands.
 * @see https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function slack(options: SlackSchemeOptions = {}): WebhookScheme {
  const base = hmac({
    name: 'slack',
    signatureHeader: 'x-slack-signature',
    prefix: 'v0=',
    timestampHeader: 'x-slack-request-timestamp',
    template: 'v0:${timestamp}:${body}',
    toleranceSeconds: options.toleranceSeconds ?? 300,
  })
  return {
    ...base,
    eventType(_parts, payload) {
      if (stringField(payload, 'type') === 'event_callback') {
        const inner = stringField(field(payload, 'event'), 'type')
        if (inner) return inner
      }
      return stringField(payload, 'type') ?? (stringField(payload, 'command') ? 'slash_command' : undefined)
    },
  }
}
