import { defaultCrypto } from '#crypto'
import { toBytes } from './body'
import type { WebhookCrypto } from './crypto/types'
import { resolveScheme, type SchemeName } from './schemes/index'
import type { WebhookScheme } from './schemes/types'

// The largest timestamp a verifier parses (12 digits, see parseSeconds).
const MAX_TIMESTAMP = 999_999_999_999

/** Options for {@link sign}. */
export interface SignOptions {
  scheme: SchemeName | WebhookScheme
  /** Secret(s) to sign with; each adds a signature where the scheme allows several. `whsk_` keys sign Ed25519 (`v1a`). */
  secret: string | readonly string[]
  /** The exact body that will be sent. */
  body: string | Uint8Array | ArrayBuffer
  /** Delivery id. @default a random UUID */
  id?: string
  /** Unix seconds. @default now */
  timestamp?: number
  /** Event type, for schemes that send it in a header (GitHub, Shopify). */
  type?: string
  /** @default node:crypto on Node, Web Crypto elsewhere */
  crypto?: WebhookCrypto
  /** Content type to send. @default 'application/json' */
  contentType?: string
}

/**
 * The headers a provider would send for `body`: for senders, and for your own tests.
 * @example const headers = await sign({ scheme: 'stripe', secret: 'whsec_test', body })
 */
export async function sign(options: SignOptions): Promise<Record<string, string>> {
  const scheme = resolveScheme(options.scheme)
  const crypto = options.crypto ?? defaultCrypto
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret
  if (!Array.isArray(secrets) || secrets.length === 0) throw new TypeError('@hookguard/core: sign() needs a secret')
  const body = toBytes(options.body)
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  // Refuse what no verifier would accept, rather than signing over `1.5` or `NaN`.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new TypeError('@hookguard/core: sign() timestamp must be whole Unix seconds')
  }
  const id = options.id ?? globalThis.crypto.randomUUID()
  if (typeof id !== 'string' || id === '') throw new TypeError('@hookguard/core: sign() id must be a non-empty string')
  const parts = { id, timestamp, signatures: [] as Uint8Array[] }
  const content = scheme.content(parts, body)
  const signatures: Uint8Array[] = []
  const publicSignatures: Uint8Array[] = []
  for (const secret of secrets) {
    const key = scheme.decodeSecret(secret)
    if (key.kind === 'hmac') {
      signatures.push(await crypto.hmac(scheme.algorithm, await crypto.importHmacKey(scheme.algorithm, key.bytes), content))
    } else if (key.kind === 'ed25519-private') {
      publicSignatures.push(await crypto.signEd25519(key.bytes, content))
    } else {
      throw new TypeError('@hookguard/core: sign() needs a secret or a whsk_ private key, not a whpk_ public key')
    }
  }
  const headers = scheme.write({
    id,
    timestamp,
    signatures,
    publicSignatures,
    secret: secrets[0] as string,
    ...(options.type === undefined ? {} : { type: options.type }),
  })
  return { 'content-type': options.contentType ?? 'application/json', ...headers }
}
