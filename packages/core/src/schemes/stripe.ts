import { fromHex, toHex } from '../encoding'
import { WebhookError } from '../errors'
import { requireHeader } from '../headers'
import { decodeSecretAs } from './hmac'
import { parseSeconds, type SignedParts, stringField, type WebhookScheme } from './types'

/** Options for {@link stripe}. */
export interface StripeSchemeOptions {
  /** @default 300 (Stripe's own default) */
  toleranceSeconds?: number
}

const HEADER = 'stripe-signature'
// HTTP optional whitespace only (RFC 9110 §5.6.3); String#trim would also eat U+00A0 and friends.
const OWS = /^[ \t]+/
const withoutOws = (key: string) => (key.charCodeAt(0) === 0x20 || key.charCodeAt(0) === 0x09 ? key.replace(OWS, '') : key)

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]` over `${t}.${body}`, the `whsec_…`
 * secret used as-is. The id is the event's `id` and the type its `type`.
 * @see https://docs.stripe.com/webhooks#verify-manually
 */
export function stripe(options: StripeSchemeOptions = {}): WebhookScheme {
  return {
    name: 'stripe',
    algorithm: 'sha256',
    toleranceSeconds: options.toleranceSeconds ?? 300,
    decodeSecret(secret) {
      return { kind: 'hmac', bytes: decodeSecretAs('utf8', secret, 'stripe') }
    },
    read(get): SignedParts {
      const raw = requireHeader(get, HEADER)
      if (raw.length > 8192) throw new WebhookError('malformed_header', '@hookguard/core: the Stripe-Signature header is too long')
      const parts: SignedParts = { signatures: [], rawSignature: raw }
      for (const item of raw.split(',')) {
        const eq = item.indexOf('=')
        // Leading spaces are tolerated on keys (stripe-node splits debug metadata on /,\s*/), which
        // also makes a header sent twice (joined as "t=…,v1=…, t=…,v1=…") fail on the second t=.
        const key = eq < 0 ? '' : withoutOws(item.slice(0, eq))
        if (key === '') throw new WebhookError('malformed_header', '@hookguard/core: the Stripe-Signature header must be "t=…,v1=…"')
        const value = item.slice(eq + 1)
        if (key === 't') {
          const t = parseSeconds(value)
          if (t === undefined || parts.timestamp !== undefined) {
            throw new WebhookError('malformed_header', '@hookguard/core: the Stripe-Signature header needs exactly one t=<unix seconds>')
          }
          parts.timestamp = t
        } else if (key === 'v1') {
          const sig = fromHex(value, 32)
          if (!sig)
            throw new WebhookError('malformed_header', '@hookguard/core: a v1 entry in Stripe-Signature is not 64 lower-case hex digits')
          parts.signatures.push(sig)
        }
        // v0 (test-mode legacy) and unknown keys are ignored, as stripe-node does.
      }
      if (parts.timestamp === undefined)
        throw new WebhookError('malformed_header', '@hookguard/core: the Stripe-Signature header has no t=')
      if (parts.signatures.length === 0)
        throw new WebhookError('malformed_header', '@hookguard/core: the Stripe-Signature header has no v1 signature')
      return parts
    },
    content(parts, body) {
      return [`${parts.timestamp}.`, body]
    },
    write(output) {
      return { [HEADER]: [`t=${output.timestamp}`, ...output.signatures.map((s) => `v1=${toHex(s)}`)].join(',') }
    },
    eventType(_parts, payload) {
      return stringField(payload, 'type')
    },
    payloadId(payload) {
      return stringField(payload, 'id')
    },
  }
}
