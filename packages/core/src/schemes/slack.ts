import { hmac } from './hmac'
import { field, stringField, type WebhookScheme } from './types'

/** Options for {@link slack}. */
export interface SlackSchemeOptions {
  /** @default 300 */
  toleranceSeconds?: number
}

/**
 * Slack: `X-Slack-Signature: v0=<hex>` over `v0:${timestamp}:${body}`, `X-Slack-Request-Timestamp`.
 * Slack sends no delivery id header. Events API callbacks carry `event_id` in the payload, and
 * Slack retries a failed callback (up to 3 times within ~5 minutes) with a NEW timestamp and
 * signature, so `event_id` is the replay key: a retry is then a duplicate. Slash commands and
 * interactivity carry no id; their key is a digest of timestamp + signature (exact replays only).
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
    // https://api.slack.com/apis/events-api#retries: `event_id` is the same on every retry. Only the
    // Events API envelope's: a form field that happens to be named `event_id` is not an id.
    payloadId: (payload) => (stringField(payload, 'type') === 'event_callback' ? stringField(payload, 'event_id') : undefined),
    eventType(_parts, payload) {
      if (stringField(payload, 'type') === 'event_callback') {
        const inner = stringField(field(payload, 'event'), 'type')
        if (inner) return inner
      }
      return stringField(payload, 'type') ?? (stringField(payload, 'command') ? 'slash_command' : undefined)
    },
  }
}
