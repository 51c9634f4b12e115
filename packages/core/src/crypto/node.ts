import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto'
import type { ContentPart, HashAlgorithm, WebhookCrypto } from './types'

// DER prefixes that turn a raw Ed25519 key into SPKI / PKCS#8 (RFC 8410 §4, §7).
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])

function der(prefix: Uint8Array, key: Uint8Array): Buffer {
  return Buffer.concat([prefix, key])
}

// A verifier keeps its decoded key bytes for its lifetime: parse each into a KeyObject once.
const publicKeys = new WeakMap<Uint8Array, KeyObject>()

function publicKeyObject(raw: Uint8Array): KeyObject {
  let key = publicKeys.get(raw)
  if (!key) {
    key = createPublicKey({ key: der(SPKI_PREFIX, raw), format: 'der', type: 'spki' })
    publicKeys.set(raw, key)
  }
  return key
}

function joined(parts: readonly ContentPart[]): Uint8Array {
  const bytes = parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part))
  return bytes.length === 1 ? (bytes[0] as Uint8Array) : Buffer.concat(bytes)
}

/** `node:crypto`: synchronous HMAC with a cached `KeyObject`, `timingSafeEqual`. */
export const nodeCrypto: WebhookCrypto = {
  name: 'node',
  importHmacKey(_algorithm: HashAlgorithm, secret: Uint8Array) {
    return createSecretKey(secret)
  },
  hmac(algorithm, key, parts) {
    const mac = createHmac(algorithm, key as ReturnType<typeof createSecretKey>)
    for (const part of parts) mac.update(part)
    return mac.digest()
  },
  equal(a, b) {
    return a.byteLength === b.byteLength && timingSafeEqual(a, b)
  },
  sha256(data) {
    return createHash('sha256').update(data).digest()
  },
  verifyEd25519(publicKey, signature, parts) {
    return verify(null, joined(parts), publicKeyObject(publicKey), signature)
  },
  signEd25519(seed, parts) {
    const key = createPrivateKey({ key: der(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' })
    return sign(null, joined(parts), key)
  },
}

export default nodeCrypto

// A named export: a CommonJS build loses a default import of this module (esbuild's interop).
export { nodeCrypto as defaultCrypto }
