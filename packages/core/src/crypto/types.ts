/** A hash for HMAC signatures. */
export type HashAlgorithm = 'sha1' | 'sha256' | 'sha512'

/**
 * Signed content as pieces: bytes, or text hashed as UTF-8. Text pieces let node:crypto hash the
 * short signed prefix (`${id}.${timestamp}.`) natively instead of encoding it first (bench/RESULTS.md).
 */
export type ContentPart = Uint8Array | string

export const DIGEST_BYTES: Record<HashAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 }

/** A prepared HMAC key: a `KeyObject` on Node, a `CryptoKey` on Web Crypto. Opaque to callers. */
export type HmacKey = unknown

/**
 * The few primitives hookguard needs. One implementation wraps `node:crypto` (synchronous, fastest
 * on Node), the other Web Crypto (`crypto.subtle`, for Bun, Deno, Workers and Edge). The verifier
 * is written once against this interface; the package's `imports` map picks one per runtime.
 */
export interface WebhookCrypto {
  readonly name: 'node' | 'web'
  importHmacKey(algorithm: HashAlgorithm, secret: Uint8Array): HmacKey | Promise<HmacKey>
  /** HMAC over the concatenation of `parts`. */
  hmac(algorithm: HashAlgorithm, key: HmacKey, parts: readonly ContentPart[]): Uint8Array | Promise<Uint8Array>
  /** Constant-time equality of two byte strings of equal length (false for unequal lengths). */
  equal(a: Uint8Array, b: Uint8Array): boolean
  sha256(data: Uint8Array): Uint8Array | Promise<Uint8Array>
  /** Ed25519 verification with a raw 32-byte public key. */
  verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, parts: readonly ContentPart[]): boolean | Promise<boolean>
  /** Ed25519 signature with a raw 32-byte seed. */
  signEd25519(seed: Uint8Array, parts: readonly ContentPart[]): Uint8Array | Promise<Uint8Array>
}
