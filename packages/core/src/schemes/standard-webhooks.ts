import { fromBase64, fromBase64Loose, toBase64 } from '../encoding'
import { WebhookError } from '../errors'
import { firstHeader } from '../headers'
import { parseSeconds, type SecretKey, type SignedParts, stringField, type WebhookScheme } from './types'

/** Options for {@link standardWebhooks}. */
export interface StandardWebhooksSchemeOptions {
  /** @default 300 */
  toleranceSeconds?: number
  /** Header family `sign()` writes: `webhook-*` (the spec) or `svix-*`. Both are always accepted. @default 'webhook' */
  headerPrefix?: 'webhook' | 'svix'
}

const ID_HEADERS = ['webhook-id', 'svix-id'] as const
const TIMESTAMP_HEADERS = ['webhook-timestamp', 'svix-timestamp'] as const
const SIGNATURE_HEADERS = ['webhook-signature', 'svix-signature'] as const

const MISSING = (what: string) =>
  new WebhookError('missing_header', `@hookguard/core: the webhook-${what} (or svix-${what}) header is missing`, {
    details: { header: `webhook-${what}` },
  })

/**
 * Standard Webhooks (and Svix): `webhook-id`, `webhook-timestamp`, `webhook-signature` with
 * space-separated `v1,<base64 HMAC-SHA256>` entries over `${id}.${timestamp}.${body}`, `whsec_`
 * base64 secrets, and asymmetric `v1a,<base64 Ed25519>` signatures checked with `whpk_` public keys.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export function standardWebhooks(options: StandardWebhooksSchemeOptions = {}): WebhookScheme {
  const prefix = options.headerPrefix ?? 'webhook'
  return {
    name: 'standard-webhooks',
    algorithm: 'sha256',
    toleranceSeconds: options.toleranceSeconds ?? 300,
    decodeSecret(secret): SecretKey {
      if (typeof secret !== 'string' || secret === '') {
        throw new TypeError('@hookguard/core: the standard-webhooks secret must be a non-empty string (whsec_…)')
      }
      const kind = secret.startsWith('whpk_') ? 'ed25519-public' : secret.startsWith('whsk_') ? 'ed25519-private' : 'hmac'
      const body = secret.replace(/^wh(sec|pk|sk)_/, '')
      const bytes = fromBase64Loose(body)
      if (!bytes || bytes.length === 0) {
        throw new TypeError(
          '@hookguard/core: the standard-webhooks secret is not base64; pass it exactly as the provider shows it (whsec_…)',
        )
      }
      if (kind === 'ed25519-public' && bytes.length !== 32) {
        throw new TypeError('@hookguard/core: a whpk_ public key must be 32 bytes of base64')
      }
      if (kind === 'ed25519-private') {
        if (bytes.length !== 32 && bytes.length !== 64) throw new TypeError('@hookguard/core: a whsk_ key must be 32 or 64 bytes of base64')
        return { kind, bytes: bytes.slice(0, 32) }
      }
      return { kind, bytes }
    },
    read(get): SignedParts {
      const id = firstHeader(get, ID_HEADERS)
      const ts = firstHeader(get, TIMESTAMP_HEADERS)
      const sig = firstHeader(get, SIGNATURE_HEADERS)
      if (!id) throw MISSING('id')
      if (!ts) throw MISSING('timestamp')
      if (!sig) throw MISSING('signature')
      const timestamp = parseSeconds(ts.value)
      if (timestamp === undefined) {
        throw new WebhookError('malformed_header', `@hookguard/core: the ${ts.name} header must be Unix seconds (digits only)`)
      }
      const parts: SignedParts = { id: id.value, timestamp, signatures: [], publicSignatures: [], rawSignature: sig.value }
      if (sig.value.length > 8192) throw new WebhookError('malformed_header', `@hookguard/core: the ${sig.name} header is too long`)
      // The usual header is one `v1,<44 base64 chars>` entry: decode it without splitting. Anything
      // else takes the general loop below, so every error stays the same.
      if (sig.value.length === 47 && sig.value.startsWith('v1,')) {
        const bytes = fromBase64(sig.value.slice(3), 32)
        if (bytes) {
          parts.signatures.push(bytes)
          return parts
        }
      }
      for (const entry of sig.value.split(' ')) {
        if (entry === '') continue
        const comma = entry.indexOf(',')
        if (comma <= 0) throw new WebhookError('malformed_header', `@hookguard/core: the ${sig.name} header must be "v1,<base64>" entries`)
        const version = entry.slice(0, comma)
        const value = entry.slice(comma + 1)
        if (version === 'v1') {
          const bytes = fromBase64(value, 32)
          if (!bytes) throw new WebhookError('malformed_header', `@hookguard/core: a v1 entry in ${sig.name} is not a base64 HMAC-SHA256`)
          parts.signatures.push(bytes)
        } else if (version === 'v1a') {
          const bytes = fromBase64(value, 64)
          if (!bytes)
            throw new WebhookError('malformed_header', `@hookguard/core: a v1a entry in ${sig.name} is not a base64 Ed25519 signature`)
          parts.publicSignatures?.push(bytes)
        }
        // Unknown versions are ignored, as the spec requires, so senders can add new ones.
      }
      if (parts.signatures.length === 0 && parts.publicSignatures?.length === 0) {
        throw new WebhookError('malformed_header', `@hookguard/core: the ${sig.name} header has no v1 or v1a signature`)
      }
      return parts
    },
    content(parts, body) {
      return [`${parts.id}.${parts.timestamp}.`, body]
    },
    write(output) {
      const entries = [...output.signatures.map((s) => `v1,${toBase64(s)}`), ...output.publicSignatures.map((s) => `v1a,${toBase64(s)}`)]
      return {
        [`${prefix}-id`]: output.id,
        [`${prefix}-timestamp`]: String(output.timestamp),
        [`${prefix}-signature`]: entries.join(' '),
      }
    },
    eventType(_parts, payload) {
      return stringField(payload, 'type')
    },
  }
}
