import { DIGEST_BYTES, type HashAlgorithm } from '../crypto/types'
import { fromBase64, fromBase64Loose, fromHex, toBase64, toHex, utf8 } from '../encoding'
import { WebhookError } from '../errors'
import { requireHeader } from '../headers'
import { parseSeconds, type SecretKey, type SignedParts, stringField, type WebhookScheme } from './types'

/** Options for {@link hmac}: describe any provider that signs with one HMAC header. */
export interface HmacSchemeOptions {
  /** A name for logs and replay keys. @default 'hmac' */
  name?: string
  /** Header that carries the signature. @example 'x-callback-signature' */
  signatureHeader: string
  /** Header that carries the delivery id (the replay key). */
  idHeader?: string
  /** Header that carries the signed Unix timestamp. */
  timestampHeader?: string
  /** Header that carries the event type. Otherwise the payload's `typeField` is used. */
  typeHeader?: string
  /** Payload field holding the event type when there is no type header. @default 'type' */
  typeField?: string
  /** @default 'sha256' */
  algorithm?: HashAlgorithm
  /** How the signature is written. @default 'hex' */
  encoding?: 'hex' | 'base64'
  /** Text before the encoded signature. @example 'sha256=' */
  prefix?: string
  /**
   * What is signed, with `${id}`, `${timestamp}` and `${body}` placeholders.
   * @default '${body}'
   * @example '${id}.${timestamp}.${body}'
   */
  template?: string
  /** How the secret string becomes key bytes. @default 'utf8' */
  secretEncoding?: 'utf8' | 'base64' | 'hex'
  /** Timestamp tolerance in seconds (both directions). @default 300 */
  toleranceSeconds?: number
  /** How long to remember a handled id when the scheme has no timestamp. @default 86400 */
  retentionSeconds?: number
}

const PLACEHOLDER = /\$\{(id|timestamp|body)\}/g

function compileTemplate(template: string): Array<{ literal: Uint8Array } | { slot: 'id' | 'timestamp' | 'body' }> {
  const out: Array<{ literal: Uint8Array } | { slot: 'id' | 'timestamp' | 'body' }> = []
  let last = 0
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) out.push({ literal: utf8(template.slice(last, match.index)) })
    out.push({ slot: match[1] as 'id' | 'timestamp' | 'body' })
    last = match.index + match[0].length
  }
  if (last < template.length) out.push({ literal: utf8(template.slice(last)) })
  return out
}

export function decodeSecretAs(encoding: 'utf8' | 'base64' | 'hex', secret: string, scheme: string): Uint8Array {
  if (typeof secret !== 'string' || secret === '') throw new TypeError(`@hookguard/core: the ${scheme} secret must be a non-empty string`)
  if (encoding === 'utf8') return utf8(secret)
  const bytes = encoding === 'hex' ? fromHex(secret.toLowerCase()) : fromBase64Loose(secret)
  if (!bytes || bytes.length === 0) throw new TypeError(`@hookguard/core: the ${scheme} secret is not valid ${encoding}`)
  return bytes
}

/**
 * A scheme for any provider that sends one HMAC signature header, e.g. an IM platform's callbacks:
 * @example hmac({ signatureHeader: 'x-callback-signature', idHeader: 'x-callback-id', timestampHeader: 'x-callback-timestamp', template: '${id}.${timestamp}.${body}' })
 */
export function hmac(options: HmacSchemeOptions): WebhookScheme {
  if (!options || typeof options.signatureHeader !== 'string' || options.signatureHeader === '') {
    throw new TypeError('@hookguard/core: hmac() needs a signatureHeader')
  }
  const name = options.name ?? 'hmac'
  const algorithm = options.algorithm ?? 'sha256'
  if (!(algorithm in DIGEST_BYTES))
    throw new TypeError(`@hookguard/core: hmac() algorithm must be sha1, sha256 or sha512, not ${String(algorithm)}`)
  const encoding = options.encoding ?? 'hex'
  if (encoding !== 'hex' && encoding !== 'base64') throw new TypeError(`@hookguard/core: hmac() encoding must be hex or base64`)
  const prefix = options.prefix ?? ''
  const template = compileTemplate(options.template ?? '${body}')
  const slots = new Set(template.flatMap((p) => ('slot' in p ? [p.slot] : [])))
  if (!slots.has('body')) throw new TypeError('@hookguard/core: hmac() template must contain ${body}')
  if (slots.has('id') && !options.idHeader) throw new TypeError('@hookguard/core: hmac() template uses ${id} but no idHeader is set')
  if (slots.has('timestamp') && !options.timestampHeader) {
    throw new TypeError('@hookguard/core: hmac() template uses ${timestamp} but no timestampHeader is set')
  }
  const sigHeader = options.signatureHeader.toLowerCase()
  const idHeader = options.idHeader?.toLowerCase()
  const tsHeader = options.timestampHeader?.toLowerCase()
  const typeHeader = options.typeHeader?.toLowerCase()
  const typeField = options.typeField ?? 'type'
  const digestBytes = DIGEST_BYTES[algorithm]
  const secretEncoding = options.secretEncoding ?? 'utf8'

  const scheme: WebhookScheme = {
    name,
    algorithm,
    toleranceSeconds: options.toleranceSeconds ?? 300,
    retentionSeconds: options.retentionSeconds ?? 86_400,
    decodeSecret(secret): SecretKey {
      return { kind: 'hmac', bytes: decodeSecretAs(secretEncoding, secret, name) }
    },
    read(get): SignedParts {
      const raw = requireHeader(get, sigHeader)
      const parts: SignedParts = { signatures: [], rawSignature: raw }
      if (!raw.startsWith(prefix)) {
        throw new WebhookError('malformed_header', `@hookguard/core: the ${sigHeader} header must start with "${prefix}"`)
      }
      const encoded = raw.slice(prefix.length)
      const signature = encoding === 'hex' ? fromHex(encoded, digestBytes) : fromBase64(encoded, digestBytes)
      if (!signature) {
        throw new WebhookError('malformed_header', `@hookguard/core: the ${sigHeader} header is not a ${encoding} ${algorithm} signature`)
      }
      parts.signatures.push(signature)
      if (idHeader) {
        if (slots.has('id')) parts.id = requireHeader(get, idHeader)
        else {
          const id = get(idHeader)
          if (id !== undefined && id !== '') parts.id = id
        }
      }
      if (tsHeader) {
        const value = requireHeader(get, tsHeader)
        const seconds = parseSeconds(value)
        if (seconds === undefined) {
          throw new WebhookError('malformed_header', `@hookguard/core: the ${tsHeader} header must be Unix seconds (digits only)`)
        }
        parts.timestamp = seconds
      }
      if (typeHeader) {
        const type = get(typeHeader)
        if (type !== undefined && type !== '') parts.type = type
      }
      return parts
    },
    content(parts, body) {
      return template.map((piece) => {
        if ('literal' in piece) return piece.literal
        if (piece.slot === 'body') return body
        return piece.slot === 'id' ? (parts.id ?? '') : String(parts.timestamp ?? '')
      })
    },
    write(output) {
      const headers: Record<string, string> = {}
      const sig = output.signatures[0]
      if (!sig) throw new TypeError(`@hookguard/core: ${name} signs with an HMAC secret`)
      headers[sigHeader] = prefix + (encoding === 'hex' ? toHex(sig) : toBase64(sig))
      if (idHeader) headers[idHeader] = output.id
      if (tsHeader) headers[tsHeader] = String(output.timestamp)
      if (typeHeader && output.type) headers[typeHeader] = output.type
      return headers
    },
    eventType(parts, payload) {
      return parts.type ?? stringField(payload, typeField)
    },
  }
  return scheme
}
