import type { ContentPart, HashAlgorithm } from '../crypto/types'
import type { HeaderGetter } from '../headers'

/** What a scheme reads from the headers of one delivery, before anything is trusted. */
export interface SignedParts {
  /** The delivery id the provider sent, if the scheme has one in its headers. */
  id?: string
  /** Unix seconds, if the scheme signs a timestamp. */
  timestamp?: number
  /** Decoded HMAC signatures; any one matching any secret verifies the delivery. */
  signatures: Uint8Array[]
  /** Decoded Ed25519 signatures (Standard Webhooks `v1a`). */
  publicSignatures?: Uint8Array[]
  /** The event type, when the scheme carries it in a header. */
  type?: string
  /** The raw signature header, for schemes whose replay key derives from it. */
  rawSignature?: string
  /** A shared token sent as-is (the `token` scheme); compared in constant time against each secret. */
  token?: Uint8Array
}

/** A secret turned into key material: HMAC bytes, or an Ed25519 public key / private seed. */
export type SecretKey =
  | { kind: 'hmac'; bytes: Uint8Array }
  | { kind: 'ed25519-public'; bytes: Uint8Array }
  | { kind: 'ed25519-private'; bytes: Uint8Array }

/** What `sign()` hands a scheme to write into headers. */
export interface SignatureOutput {
  id: string
  timestamp: number
  /** Encoded HMAC signatures (one per secret). */
  signatures: Uint8Array[]
  publicSignatures: Uint8Array[]
  type?: string
  /** The first secret as given, for schemes that send it as-is (`token`). */
  secret?: string
}

/**
 * A provider's signature scheme: data plus a few small functions. Adding a provider is one object.
 * `read` must throw a `WebhookError` (`missing_header` / `malformed_header`) for anything it cannot parse.
 */
export interface WebhookScheme {
  readonly name: string
  readonly algorithm: HashAlgorithm
  /** Default tolerance for timestamped schemes (seconds). */
  readonly toleranceSeconds?: number
  /** How long a completed delivery id is remembered when the scheme has no timestamp (seconds). */
  readonly retentionSeconds?: number
  /** Turns a user-supplied secret into key material; throws `TypeError` on a malformed secret. */
  decodeSecret(secret: string): SecretKey
  read(get: HeaderGetter): SignedParts
  /** The byte strings whose concatenation is signed. */
  content(parts: SignedParts, body: Uint8Array): ContentPart[]
  /** Headers a sender would send for these signatures (used by `sign()`). */
  write(output: SignatureOutput): Record<string, string>
  /** The event type, given the parsed payload. */
  eventType?(parts: SignedParts, payload: unknown): string | undefined
  /** The delivery id when it lives in the payload rather than a header (Stripe's event id). */
  payloadId?(payload: unknown): string | undefined
}

// Canonical decimal only: no sign, no leading zero, no fraction, at most 12 digits (year 33658).
// Canonical matters because the signed content re-prints the number: `0175…` would sign as `175…`.
/**
 * Parses a Unix timestamp in seconds strictly: canonical ASCII digits only — `0` or 1–12 digits
 * without a leading zero (stricter than standardwebhooks, which accepts `1750000000abc`, and
 * stripe-node, which accepts `t=abc`). A char-code loop: it runs on every delivery (bench/RESULTS.md).
 */
export function parseSeconds(value: string): number | undefined {
  const length = value.length
  if (length === 0 || length > 12 || (length > 1 && value.charCodeAt(0) === 48)) return undefined
  let seconds = 0
  for (let i = 0; i < length; i++) {
    const digit = value.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return undefined
    seconds = seconds * 10 + digit
  }
  return seconds
}

export function field(payload: unknown, key: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[key] : undefined
}

export function stringField(payload: unknown, key: string): string | undefined {
  const value = field(payload, key)
  return typeof value === 'string' && value !== '' ? value : undefined
}
