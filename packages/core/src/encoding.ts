// Byte <-> text helpers that work on every runtime. Node's Buffer is used when present because it
// is several times faster than the portable paths; results are identical.

const NodeBuffer: typeof Buffer | undefined = (globalThis as { Buffer?: typeof Buffer }).Buffer
const encoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true })

export const EMPTY: Uint8Array = new Uint8Array(0)

export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

/** Decodes UTF-8, returning undefined for invalid sequences instead of inventing U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes)
  } catch {
    return undefined
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  let length = 0
  for (const part of parts) length += part.byteLength
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

const HEX = '0123456789abcdef'

export function toHex(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
  let out = ''
  for (const byte of bytes) out += HEX[byte >> 4] + (HEX[byte & 15] as string)
  return out
}

const LOWER_HEX = /^[0-9a-f]*$/

/** Decodes canonical lower-case hex of an exact byte length; undefined for anything else. */
export function fromHex(text: string, byteLength?: number): Uint8Array | undefined {
  // Length first: an oversized header is refused before any regex or allocation touches it.
  if (byteLength === undefined ? text.length % 2 !== 0 : text.length !== byteLength * 2) return undefined
  if (!LOWER_HEX.test(text)) return undefined
  if (NodeBuffer) return NodeBuffer.from(text, 'hex')
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16)
  }
  return out
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += `${B64[(n >> 18) & 63]!}${B64[(n >> 12) & 63]!}==`
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += `${B64[(n >> 18) & 63]!}${B64[(n >> 12) & 63]!}${B64[(n >> 6) & 63]!}=`
  }
  return out
}

/**
 * Decodes canonical, padded base64 (optionally of an exact byte length). Non-canonical input
 * (missing padding, stray bits in the last character, whitespace, url-safe alphabet) is rejected,
 * so there is exactly one accepted spelling of every signature.
 */
export function fromBase64(text: string, byteLength?: number): Uint8Array | undefined {
  if (byteLength !== undefined && text.length !== Math.ceil(byteLength / 3) * 4) return undefined
  if (text.length % 4 !== 0) return undefined
  let bytes: Uint8Array
  if (NodeBuffer) {
    bytes = NodeBuffer.from(text, 'base64')
  } else {
    if (!B64_RE.test(text)) return undefined
    const binary = atob(text)
    bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  }
  if (byteLength !== undefined && bytes.length !== byteLength) return undefined
  // Exactly one spelling per byte string: anything a decoder skipped or tolerated (the url-safe
  // alphabet, whitespace, stray bits, odd padding) makes the re-encoding differ.
  if (toBase64(bytes) !== text) return undefined
  return bytes
}

/** Lenient base64 for secrets users paste (accepts url-safe and unpadded forms). */
export function fromBase64Loose(text: string): Uint8Array | undefined {
  let normal = text.replace(/-/g, '+').replace(/_/g, '/')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normal)) return undefined
  normal = normal.replace(/=+$/, '')
  if (normal.length % 4 === 1) return undefined
  normal += '='.repeat((4 - (normal.length % 4)) % 4)
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(normal, 'base64'))
  const binary = atob(normal)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
