import { defaultCrypto } from '#crypto'
import { toBytes } from './body'
import { createSignatureCheck, isPromise } from './crypto/signature-check'
import type { WebhookCrypto } from './crypto/types'
import { Delivery, type WebhookDelivery } from './delivery'
import { WebhookError } from './errors'
import { type HeadersInput, headerGetter } from './headers'
import { resolveScheme, type SchemeName } from './schemes/index'
import type { SecretKey, SignedParts, WebhookScheme } from './schemes/types'

/** Options for {@link createWebhookVerifier}. */
export interface WebhookVerifierOptions {
  /**
   * The provider's scheme: a name, or a scheme object from a factory.
   * @example 'stripe'
   * @example hmac({ signatureHeader: 'x-callback-signature', template: '${id}.${timestamp}.${body}', idHeader: 'x-callback-id', timestampHeader: 'x-callback-timestamp' })
   */
  scheme: SchemeName | WebhookScheme
  /**
   * The signing secret, or several during a rotation (any one may match).
   * Standard Webhooks also takes `whpk_` Ed25519 public keys.
   */
  secret: string | readonly string[]
  /** Accepted clock difference in seconds, for old and for future timestamps. @default the scheme's, 300 */
  toleranceSeconds?: number
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number
  /** The crypto implementation. @default node:crypto on Node, Web Crypto elsewhere */
  crypto?: WebhookCrypto
}

/** What {@link WebhookVerifier.verify} takes. */
export interface VerifyInput {
  headers: HeadersInput
  /** The exact raw bytes of the request body. A parsed object is refused (`raw_body_unavailable`). */
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView
}

export interface WebhookVerifier {
  readonly scheme: WebhookScheme
  readonly toleranceSeconds: number
  /** Resolves the verified delivery, or rejects with a `WebhookError`. */
  verify<TPayload = unknown>(input: VerifyInput): Promise<WebhookDelivery<TPayload>>
}

function mismatch(scheme: string, details: Record<string, unknown>): WebhookError {
  return new WebhookError(
    'signature_mismatch',
    `@hookguard/core: the ${scheme} signature does not match. Check the secret, and verify the exact raw request bytes (a body that was parsed and re-serialised no longer matches).`,
    { details },
  )
}

/** Creates a verifier for one provider: signature(s), then timestamp. */
export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  if (!options || typeof options !== 'object') throw new TypeError('@hookguard/core: createWebhookVerifier() needs options')
  const scheme = resolveScheme(options.scheme)
  const crypto = options.crypto ?? defaultCrypto
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new TypeError('@hookguard/core: now must be a function returning milliseconds')
  const tolerance = options.toleranceSeconds ?? scheme.toleranceSeconds ?? 300
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError('@hookguard/core: toleranceSeconds must be a number ≥ 0')
  }
  const secretList = typeof options.secret === 'string' ? [options.secret] : options.secret
  if (!Array.isArray(secretList) || secretList.length === 0) {
    throw new TypeError('@hookguard/core: secret must be a non-empty string or a non-empty array of strings')
  }
  const keys: SecretKey[] = secretList.map((secret) => scheme.decodeSecret(secret))
  if (keys.some((k) => k.kind === 'ed25519-private')) {
    throw new TypeError('@hookguard/core: verify with the whpk_ public key; whsk_ private keys are for signing')
  }
  const hmacSecrets = keys.filter((k) => k.kind === 'hmac').map((k) => k.bytes)
  const publicKeys = keys.filter((k) => k.kind === 'ed25519-public').map((k) => k.bytes)

  const check = createSignatureCheck(scheme, crypto, hmacSecrets, publicKeys)

  function checkClock(parts: SignedParts): void {
    if (parts.timestamp === undefined) return
    const nowSeconds = Math.floor(now() / 1000)
    // A broken clock must fail closed: NaN would otherwise pass both comparisons below.
    if (!Number.isFinite(nowSeconds)) throw new TypeError('@hookguard/core: now() must return milliseconds since the epoch')
    const age = nowSeconds - parts.timestamp
    if (age > tolerance) {
      throw new WebhookError(
        'timestamp_expired',
        `@hookguard/core: the ${scheme.name} timestamp is older than the ${tolerance}s tolerance. A replayed delivery, or a clock that is off: check the server's time.`,
        { details: { ageSeconds: age, toleranceSeconds: tolerance } },
      )
    }
    if (-age > tolerance) {
      throw new WebhookError(
        'timestamp_in_future',
        `@hookguard/core: the ${scheme.name} timestamp is further in the future than the ${tolerance}s tolerance. Check the server's clock.`,
        { details: { aheadSeconds: -age, toleranceSeconds: tolerance } },
      )
    }
  }

  return {
    scheme,
    toleranceSeconds: tolerance,
    async verify<TPayload>(input: VerifyInput): Promise<WebhookDelivery<TPayload>> {
      if (!input || typeof input !== 'object') throw new TypeError('@hookguard/core: verify() takes { headers, body }')
      const body = toBytes(input.body)
      const get = headerGetter(input.headers)
      const parts = scheme.read(get)
      let ok = check(parts, body)
      if (isPromise(ok)) ok = await ok
      if (!ok) {
        throw mismatch(scheme.name, {
          scheme: scheme.name,
          secrets: keys.length,
          signatures: parts.signatures.length + (parts.publicSignatures?.length ?? 0),
          bodyBytes: body.byteLength,
        })
      }
      // The signature is checked first, so a timestamp error always describes a genuine delivery.
      checkClock(parts)
      return new Delivery<TPayload>(scheme, parts, body, get('content-type'))
    },
  }
}
