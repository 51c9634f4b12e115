import { utf8 } from '../encoding'
import { WebhookError } from '../errors'
import { requireHeader } from '../headers'
import { decodeSecretAs } from './hmac'
import { type SignedParts, stringField, type WebhookScheme } from './types'

/** Options for {@link token}. */
export interface TokenSchemeOptions {
  /** Header that carries the shared token. @default 'x-webhook-token' @example 'X-Gitlab-Token' */
  header?: string
  /** Header that carries the delivery id. @example 'X-Gitlab-Event-UUID' */
  idHeader?: string
  /** Header that carries the event type. @example 'X-Gitlab-Event' */
  typeHeader?: string
  /** @default 86400 */
  retentionSeconds?: number
}

/**
 * A static shared token in a header (GitLab's `X-Gitlab-Token` style), compared in constant time
 * by comparing HMACs of both values, so neither content nor length leaks through timing.
 * The token proves the sender knows the secret; it does not protect the body from tampering in transit.
 */
export function token(options: TokenSchemeOptions = {}): WebhookScheme {
  const header = (options.header ?? 'x-webhook-token').toLowerCase()
  const idHeader = options.idHeader?.toLowerCase()
  const typeHeader = options.typeHeader?.toLowerCase()
  const EMPTY = new Uint8Array(0)
  return {
    name: 'token',
    algorithm: 'sha256',
    retentionSeconds: options.retentionSeconds ?? 86_400,
    decodeSecret(secret) {
      return { kind: 'hmac', bytes: decodeSecretAs('utf8', secret, 'token') }
    },
    read(get) {
      const value = requireHeader(get, header)
      if (value.length > 1024) throw new WebhookError('malformed_header', `@hookguard/core: the ${header} header is too long`)
      // The verifier compares HMACs keyed by the sent token and by each secret (see verifier.ts).
      const parts: SignedParts = { signatures: [], token: utf8(value) }
      const id = idHeader ? get(idHeader) : undefined
      if (id) parts.id = id
      const type = typeHeader ? get(typeHeader) : undefined
      if (type) parts.type = type
      return parts
    },
    content() {
      return [EMPTY]
    },
    write(output) {
      if (!output.secret) throw new TypeError('@hookguard/core: the token scheme needs a secret to send')
      const headers: Record<string, string> = { [header]: output.secret }
      if (idHeader) headers[idHeader] = output.id
      if (typeHeader && output.type) headers[typeHeader] = output.type
      return headers
    },
    eventType(parts, payload) {
      return parts.type ?? stringField(payload, 'object_kind') ?? stringField(payload, 'type')
    },
  }
}
