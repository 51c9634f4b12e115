import { createHmac } from 'node:crypto'
import { sign } from '@hookguard/core'

export type SchemeId = 'standard-webhooks' | 'stripe' | 'github'
export const SCHEMES: readonly SchemeId[] = ['standard-webhooks', 'stripe', 'github']

export const SIZES: readonly { label: string; bytes: number }[] = [
  { label: '256 B', bytes: 256 },
  { label: '4 KiB', bytes: 4096 },
  { label: '64 KiB', bytes: 65_536 },
  { label: '1 MiB', bytes: 1_048_576 },
]

/** Each scheme's secret as the provider shows it (fixed, so server and client processes agree). */
export const SECRETS: Record<SchemeId, string> = {
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  stripe: 'whsec_5f1c3e0b9a8d7c6b5a4f3e2d1c0b9a8d7c6b5a4f',
  github: 'It9a0f3d7e2b4c6a8e1f0d2c4b6a8e0f1d3c5b7a9',
}

/** The HMAC key bytes each scheme derives from its secret (for the raw, hand-written checks). */
export function keyBytes(scheme: SchemeId): Buffer {
  const secret = SECRETS[scheme]
  if (scheme === 'standard-webhooks') return Buffer.from(secret.slice('whsec_'.length), 'base64')
  return Buffer.from(secret, 'utf8')
}

const TOP: Record<SchemeId, (n: number) => Record<string, unknown>> = {
  'standard-webhooks': (n) => ({ type: 'invoice.paid', timestamp: '2026-01-01T00:00:00Z', data: { id: `inv_${n}` } }),
  stripe: (n) => ({ id: `evt_${n}`, object: 'event', type: 'invoice.paid', created: 1_767_225_600, livemode: false }),
  github: () => ({ action: 'opened', number: 1347, repository: { id: 1296269, full_name: 'octocat/Hello-World' } }),
}

/**
 * A realistic JSON body of exactly `bytes` bytes: the provider's top-level fields, an array of
 * line-item objects (so JSON.parse does real work, not one long string), and a short pad.
 */
export function makeBody(scheme: SchemeId, bytes: number, n = 1): Buffer {
  const doc: Record<string, unknown> = { ...TOP[scheme](n), items: [] as unknown[], pad: '' }
  const items = doc.items as unknown[]
  const size = () => Buffer.byteLength(JSON.stringify(doc))
  // Grow in steps, then one item at a time, so building the 1 MiB body stays fast.
  const item = (i: number) => ({
    id: `li_${String(i).padStart(8, '0')}`,
    amount: 1999 + i,
    currency: 'usd',
    description: `Line item ${i} — ünïcødé text`,
    quantity: (i % 5) + 1,
    metadata: { sku: `sku_${i}`, gift: i % 2 === 0 },
  })
  const perItem = Buffer.byteLength(JSON.stringify(item(10_000_000))) + 1
  while (size() + perItem * 64 < bytes - 64) for (let k = 0; k < 64; k++) items.push(item(items.length))
  while (size() + perItem < bytes - 16) items.push(item(items.length))
  const missing = bytes - size()
  if (missing < 0) throw new Error(`cannot build a ${bytes}-byte body`)
  doc.pad = 'x'.repeat(missing)
  const out = Buffer.from(JSON.stringify(doc))
  if (out.byteLength !== bytes) throw new Error(`body is ${out.byteLength} bytes, wanted ${bytes}`)
  return out
}

/** Node-style (lower-case) headers for one signed delivery, signed by hookguard's `sign()`. */
export async function signedHeaders(
  scheme: SchemeId,
  body: Uint8Array,
  id = 'msg_2zQ1bench0000000000000001',
): Promise<Record<string, string>> {
  return sign({ scheme, secret: SECRETS[scheme], body, id, type: scheme === 'github' ? 'issues' : 'invoice.paid' })
}

/**
 * Signs a Standard Webhooks delivery synchronously (raw node:crypto), so benches can mint a fresh id
 * per request outside the timed region.
 */
export function signStandardWebhooks(key: Buffer, body: Uint8Array, id: string, timestamp = Math.floor(Date.now() / 1000)) {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${mac}`,
  }
}

let counter = 0
/** A unique delivery id per call, in Svix's `msg_` shape. */
export function nextId(): string {
  counter++
  return `msg_${process.pid.toString(36)}${Date.now().toString(36)}${counter.toString(36).padStart(8, '0')}`
}
