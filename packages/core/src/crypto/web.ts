import { concatBytes, utf8 } from '../encoding'
import type { ContentPart, HashAlgorithm, WebhookCrypto } from './types'

const HASH_NAME: Record<HashAlgorithm, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' }
const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  if (!s) throw new TypeError('@hookguard/core: this runtime has no Web Crypto (globalThis.crypto.subtle)')
  return s
}

const joined = (parts: readonly ContentPart[]): Uint8Array =>
  concatBytes(parts.map((part) => (typeof part === 'string' ? utf8(part) : part)))

// A verifier keeps its decoded key bytes for its lifetime: import each once.
const publicKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>()

function publicKey(raw: Uint8Array): Promise<CryptoKey> {
  let key = publicKeys.get(raw)
  if (!key) {
    key = subtle().importKey('raw', src(raw), { name: 'Ed25519' }, false, ['verify'])
    publicKeys.set(raw, key)
  }
  return key
}

// Web Crypto wants BufferSource backed by an ArrayBuffer; a view is fine.
const src = (bytes: Uint8Array): BufferSource => bytes as unknown as BufferSource

/** Web Crypto (`crypto.subtle`): every runtime, asynchronous. Keys are imported once per secret. */
export const webCrypto: WebhookCrypto = {
  name: 'web',
  importHmacKey(algorithm, secret) {
    return subtle().importKey('raw', src(secret), { name: 'HMAC', hash: HASH_NAME[algorithm] }, false, ['sign'])
  },
  async hmac(_algorithm, key, parts) {
    return new Uint8Array(await subtle().sign('HMAC', key as CryptoKey, src(joined(parts))))
  },
  equal(a, b) {
    if (a.byteLength !== b.byteLength) return false
    let diff = 0
    for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number)
    return diff === 0
  },
  async sha256(data) {
    return new Uint8Array(await subtle().digest('SHA-256', src(data)))
  },
  async verifyEd25519(raw, signature, parts) {
    return subtle().verify({ name: 'Ed25519' }, await publicKey(raw), src(signature), src(joined(parts)))
  },
  async signEd25519(seed, parts) {
    const pkcs8 = joined([PKCS8_PREFIX, seed])
    const key = await subtle().importKey('pkcs8', src(pkcs8), { name: 'Ed25519' }, false, ['sign'])
    return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, key, src(joined(parts))))
  },
}

export default webCrypto

// A named export: a CommonJS build loses a default import of this module (esbuild's interop).
export { webCrypto as defaultCrypto }
