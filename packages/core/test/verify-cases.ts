// Shared fixtures for the verification tests: both crypto implementations, and one row per scheme
// describing how it signs, so property and bad-input suites run the same checks on every scheme.
import { generateKeyPairSync } from 'node:crypto'
import {
  hmac,
  type SchemeName,
  type SignOptions,
  sign,
  type WebhookCrypto,
  WebhookError,
  type WebhookErrorCode,
  type WebhookScheme,
} from '@hookguard/core'
import { nodeCrypto } from '@hookguard/core/crypto/node'
import { webCrypto } from '@hookguard/core/crypto/web'
import { expect } from 'vitest'

/** `describe.each(CRYPTOS)('… (%s crypto)', (_name, crypto) => …)` runs a suite on both implementations. */
export const CRYPTOS: ReadonlyArray<readonly [string, WebhookCrypto]> = [
  ['node', nodeCrypto],
  ['web', webCrypto],
]

/** A fresh Ed25519 key pair as Standard Webhooks spells it: `whsk_` seed and `whpk_` public key. */
export function ed25519Keys(): { secretKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  const b64 = (b64url: string | undefined) => Buffer.from(b64url ?? '', 'base64url').toString('base64')
  if (publicKey.export({ format: 'jwk' }).x !== jwk.x) throw new Error('ed25519 key pair mismatch')
  return { secretKey: `whsk_${b64(jwk.d)}`, publicKey: `whpk_${b64(jwk.x)}` }
}

export interface SchemeCase {
  label: string
  scheme: SchemeName | WebhookScheme
  /** Signs. */
  secret: string
  /** Verifies (the `whpk_` public key for Ed25519). @default secret */
  verifySecret?: string
  /** Same format, different key: must never verify. */
  wrongSecret: string
  /** Header carrying the signature. */
  signatureHeader: string
  /** Header carrying the delivery id, when the scheme has one. */
  idHeader?: string
  /** Header carrying only the timestamp (Stripe keeps it inside its signature header). */
  timestampHeader?: string
  /** False for `token`: a shared token does not protect the body. */
  signsBody: boolean
  signsTimestamp: boolean
  /** How the signature is spelled in its header. */
  signatureEncoding: 'hex' | 'base64' | 'token'
  /** What a secret of this scheme looks like, to generate other ones. */
  secretKind: 'utf8' | 'whsec' | 'whsk' | 'base64'
}

const sw = ed25519Keys()
const swOther = ed25519Keys()

export const IM_PLATFORM = hmac({
  name: 'im-platform',
  signatureHeader: 'X-Callback-Signature',
  idHeader: 'X-Callback-Id',
  timestampHeader: 'X-Callback-Timestamp',
  template: '${id}.${timestamp}.${body}',
})

export const SCHEME_CASES: readonly SchemeCase[] = [
  {
    label: 'standard-webhooks v1',
    scheme: 'standard-webhooks',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    wrongSecret: 'whsec_OTA5OTk5OTk5OTk5OTk5OTk5OTk5OTk5',
    signatureHeader: 'webhook-signature',
    idHeader: 'webhook-id',
    timestampHeader: 'webhook-timestamp',
    signsBody: true,
    signsTimestamp: true,
    signatureEncoding: 'base64',
    secretKind: 'whsec',
  },
  {
    label: 'standard-webhooks v1a (ed25519)',
    scheme: 'standard-webhooks',
    secret: sw.secretKey,
    verifySecret: sw.publicKey,
    wrongSecret: swOther.publicKey,
    signatureHeader: 'webhook-signature',
    idHeader: 'webhook-id',
    timestampHeader: 'webhook-timestamp',
    signsBody: true,
    signsTimestamp: true,
    signatureEncoding: 'base64',
    secretKind: 'whsk',
  },
  {
    label: 'stripe',
    scheme: 'stripe',
    secret: 'whsec_test_stripe_secret',
    wrongSecret: 'whsec_test_stripe_secreT',
    signatureHeader: 'stripe-signature',
    signsBody: true,
    signsTimestamp: true,
    signatureEncoding: 'hex',
    secretKind: 'utf8',
  },
  {
    label: 'github',
    scheme: 'github',
    secret: "It's a Secret to Everybody",
    wrongSecret: "It's a Secret to Everybody!",
    signatureHeader: 'x-hub-signature-256',
    idHeader: 'x-github-delivery',
    signsBody: true,
    signsTimestamp: false,
    signatureEncoding: 'hex',
    secretKind: 'utf8',
  },
  {
    label: 'slack',
    scheme: 'slack',
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    wrongSecret: '8f742231b10e8888abcd99yyyzzz85a6',
    signatureHeader: 'x-slack-signature',
    timestampHeader: 'x-slack-request-timestamp',
    signsBody: true,
    signsTimestamp: true,
    signatureEncoding: 'hex',
    secretKind: 'utf8',
  },
  {
    label: 'shopify',
    scheme: 'shopify',
    secret: 'shpss_0123456789abcdef',
    wrongSecret: 'shpss_0123456789abcdeF',
    signatureHeader: 'x-shopify-hmac-sha256',
    idHeader: 'x-shopify-webhook-id',
    signsBody: true,
    signsTimestamp: false,
    signatureEncoding: 'base64',
    secretKind: 'utf8',
  },
  {
    label: 'token',
    scheme: 'token',
    secret: 'gitlab-token-1',
    wrongSecret: 'gitlab-token-2',
    signatureHeader: 'x-webhook-token',
    signsBody: false,
    signsTimestamp: false,
    signatureEncoding: 'token',
    secretKind: 'utf8',
  },
  {
    label: 'hmac (IM platform: hex sha256 over id.timestamp.body)',
    scheme: IM_PLATFORM,
    secret: 'im-api-secret',
    wrongSecret: 'im-api-secreu',
    signatureHeader: 'x-callback-signature',
    idHeader: 'x-callback-id',
    timestampHeader: 'x-callback-timestamp',
    signsBody: true,
    signsTimestamp: true,
    signatureEncoding: 'hex',
    secretKind: 'utf8',
  },
  {
    label: 'hmac (base64 sha512 with prefix, base64 secret)',
    scheme: hmac({
      name: 'b64-512',
      signatureHeader: 'X-Sig',
      algorithm: 'sha512',
      encoding: 'base64',
      prefix: 'sha512=',
      secretEncoding: 'base64',
      timestampHeader: 'X-Time',
      template: '${timestamp}:${body}',
    }),
    secret: 'c2VjcmV0LWJ5dGVzLWZvci1zaGE1MTI=',
    wrongSecret: 'c2VjcmV0LWJ5dGVzLWZvci1zaGE1MTM=',
    signatureHeader: 'x-sig',
    timestampHeader: 'x-time',
    signsBody: true,
    signsTimestamp: true,
    signatureEncoding: 'base64',
    secretKind: 'base64',
  },
  {
    label: 'hmac (hex sha1, legacy)',
    scheme: hmac({ name: 'sha1', signatureHeader: 'X-Hub-Signature', prefix: 'sha1=', algorithm: 'sha1' }),
    secret: 'legacy-secret',
    wrongSecret: 'legacy-secreT',
    signatureHeader: 'x-hub-signature',
    signsBody: true,
    signsTimestamp: false,
    signatureEncoding: 'hex',
    secretKind: 'utf8',
  },
]

export const T0 = 1_750_000_000

/** Signs with the case's secret at `T0` (unless overridden). */
export function signCase(c: SchemeCase, crypto: WebhookCrypto, body: SignOptions['body'], extra: Partial<SignOptions> = {}) {
  return sign({ scheme: c.scheme, secret: c.secret, body, crypto, timestamp: T0, id: 'msg_1', ...extra })
}

/** The encoded signatures inside a header value (what a message must never echo). */
export function signatureTexts(c: SchemeCase, headers: Record<string, string>): string[] {
  const value = headers[c.signatureHeader] ?? ''
  if (c.signatureEncoding === 'token') return [value]
  const run = c.signatureEncoding === 'hex' ? /[0-9a-f]{40,}/g : /[A-Za-z0-9+/]{20,}={0,2}/g
  const found = value.match(run) ?? []
  if (found.length === 0) throw new Error(`no signature in ${value}`)
  return found
}

/** Asserts `promise` rejects with a `WebhookError` of `code` whose message leaks none of `secrets`. */
export async function expectWebhookError(promise: Promise<unknown>, code: WebhookErrorCode, secrets: readonly string[] = []) {
  const error = await promise.then(
    () => {
      throw new Error(`expected a WebhookError ${code}, but it resolved`)
    },
    (e: unknown) => e,
  )
  expect(WebhookError.is(error), String(error)).toBe(true)
  const webhookError = error as WebhookError
  expect({ code: webhookError.code, message: webhookError.message }).toMatchObject({ code })
  expect(webhookError.status).toBe(STATUS[code])
  expect(webhookError.message).toMatch(/^@hookguard\/core: /)
  for (const secret of secrets) {
    if (secret) expect(webhookError.message).not.toContain(secret)
    if (secret) expect(JSON.stringify(webhookError.details ?? {})).not.toContain(secret)
  }
  return webhookError
}

// Written out (not imported) so a change to the status table is a conscious one.
const STATUS: Record<string, number> = {
  missing_header: 400,
  malformed_header: 400,
  signature_mismatch: 401,
  timestamp_expired: 401,
  timestamp_in_future: 401,
  invalid_payload: 422,
  raw_body_unavailable: 500,
}
