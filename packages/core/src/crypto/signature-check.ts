import type { SignedParts, WebhookScheme } from '../schemes/types'
import type { ContentPart, HmacKey, WebhookCrypto } from './types'

/** Checks one delivery's signed parts against the configured keys; true when any signature matches. */
export type SignatureCheck = (parts: SignedParts, body: Uint8Array) => boolean | Promise<boolean>

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function'
}

// Continues synchronously when the value is ready: node:crypto answers synchronously, and the
// verify hot path should not pay a microtask per step for Web Crypto's sake. (Never name an
// export `then`: a module namespace with a `then` export is a thenable and breaks `import()`.)
export function whenReady<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return isPromise(value) ? value.then(next) : next(value)
}

export function settle<T>(values: Array<T | Promise<T>>): T[] | Promise<T[]> {
  return values.some(isPromise) ? Promise.all(values) : (values as T[])
}

function anyEqual(crypto: WebhookCrypto, mac: Uint8Array, signatures: readonly Uint8Array[]): boolean {
  for (const signature of signatures) {
    if (crypto.equal(mac, signature)) return true
  }
  return false
}

/**
 * The signature check of a verifier, written once for both crypto implementations. Any secret may
 * match any signature (rotation, several `v1` entries). With node:crypto every step answers
 * synchronously, so a verification costs no promise beyond `verify()`'s own.
 */
export function createSignatureCheck(
  scheme: WebhookScheme,
  crypto: WebhookCrypto,
  hmacSecrets: readonly Uint8Array[],
  publicKeys: readonly Uint8Array[],
): SignatureCheck {
  // Keys are imported once (Web Crypto import is async and costly); on node they are ready at once.
  let hmacKeys: HmacKey[] | Promise<HmacKey[]> | undefined
  const getHmacKeys = (): HmacKey[] | Promise<HmacKey[]> => {
    if (hmacKeys === undefined) {
      const imported = settle(hmacSecrets.map((s) => crypto.importHmacKey(scheme.algorithm, s)))
      hmacKeys = imported
      if (isPromise(imported)) {
        imported.then(
          (ready) => {
            hmacKeys = ready
          },
          () => {
            hmacKeys = undefined
          },
        )
      }
    }
    return hmacKeys
  }

  // The token scheme compares SHA-256 digests of the sent token and of each secret: equal length,
  // constant time, and neither the secret's content nor its length shows in timing.
  let secretDigests: Uint8Array[] | Promise<Uint8Array[]> | undefined
  function matchesToken(sent: Uint8Array): boolean | Promise<boolean> {
    secretDigests ??= settle(hmacSecrets.map((s) => crypto.sha256(s)))
    return whenReady(secretDigests, (digests) =>
      whenReady(crypto.sha256(sent), (digest) => {
        let ok = false
        for (const expected of digests) ok = crypto.equal(expected, digest) || ok
        return ok
      }),
    )
  }

  async function checkHmacAsync(pending: Promise<Uint8Array>, rest: HmacKey[], parts: SignedParts, content: ContentPart[]) {
    if (anyEqual(crypto, await pending, parts.signatures)) return true
    for (const key of rest) {
      if (anyEqual(crypto, await crypto.hmac(scheme.algorithm, key, content), parts.signatures)) return true
    }
    return false
  }

  function checkHmac(keyList: HmacKey[], parts: SignedParts, body: Uint8Array): boolean | Promise<boolean> {
    if (parts.signatures.length === 0 || keyList.length === 0) return false
    const content = scheme.content(parts, body)
    for (let i = 0; i < keyList.length; i++) {
      const mac = crypto.hmac(scheme.algorithm, keyList[i], content)
      if (isPromise(mac)) return checkHmacAsync(mac, keyList.slice(i + 1), parts, content)
      if (anyEqual(crypto, mac, parts.signatures)) return true
    }
    return false
  }

  async function checkPublic(parts: SignedParts, body: Uint8Array): Promise<boolean> {
    const content = scheme.content(parts, body)
    for (const key of publicKeys) {
      for (const signature of parts.publicSignatures ?? []) {
        if (await crypto.verifyEd25519(key, signature, content)) return true
      }
    }
    return false
  }

  function check(parts: SignedParts, body: Uint8Array): boolean | Promise<boolean> {
    if (parts.token) return matchesToken(parts.token)
    const hmacOk = whenReady(getHmacKeys(), (keyList) => checkHmac(keyList, parts, body))
    if (!parts.publicSignatures?.length || publicKeys.length === 0) return hmacOk
    return whenReady(hmacOk, (ok) => ok || checkPublic(parts, body))
  }
  return check
}
