import {
  createWebhookVerifier,
  type HeadersInput,
  headerGetter,
  resolveScheme,
  SCHEME_NAMES,
  type SchemeName,
  WebhookError,
  type WebhookErrorCode,
  type WebhookScheme,
} from '@hookguard/core'
import { type JsonForm, jsonForms } from './json-forms'

/** Options for {@link diagnose}. */
export interface DiagnoseOptions {
  /** The scheme the receiver is configured with. */
  scheme: SchemeName
  /** The secret the receiver is configured with, exactly as it is configured. */
  secret: string
  /** The delivery's headers, as received. */
  headers: HeadersInput
  /** The body bytes the receiver has (which may differ from what was signed: that is what this finds). */
  body: Uint8Array
  /** The clock to verify against, in milliseconds. @default Date.now() */
  now?: number
  /** Timestamp tolerance in seconds. @default the scheme's (300) */
  toleranceSeconds?: number
}

/** One likely reason a delivery did not verify, most likely first in {@link Diagnosis.causes}. */
export type DiagnosisCause =
  | { kind: 'wrong_scheme'; scheme: SchemeName; header: string; verifies: boolean; message: string }
  | { kind: 'secret_format'; variant: string; message: string }
  | { kind: 'body_reserialised'; form: string; message: string }
  | { kind: 'timestamp_skew'; direction: 'past' | 'future'; seconds: number; toleranceSeconds: number; signedAt: string; message: string }
  | { kind: 'header'; header?: string; message: string }
  | { kind: 'unknown'; message: string }

/** The verdict on one delivery and, when it failed, why. */
export interface Diagnosis {
  verified: boolean
  scheme: SchemeName
  /** Core's error code when it failed. */
  code?: WebhookErrorCode
  /** The HTTP status a hookguard receiver answers with. */
  status?: number
  /** Core's message, or a summary of the verified delivery. */
  message: string
  delivery?: { id?: string | undefined; type?: string | undefined; timestamp?: number | undefined }
  causes: DiagnosisCause[]
}

/** The header that tells each built-in scheme apart. */
const SIGNATURE_HEADERS: Record<SchemeName, readonly string[]> = {
  stripe: ['stripe-signature'],
  'standard-webhooks': ['webhook-signature', 'svix-signature'],
  github: ['x-hub-signature-256'],
  slack: ['x-slack-signature'],
  shopify: ['x-shopify-hmac-sha256'],
  token: ['x-webhook-token'],
}

// Variants are tested for the signature only; the clock is checked once a variant matches.
const ANY_TIME = 1e12
const utf8 = new TextEncoder()
const text = new TextDecoder('utf-8', { fatal: true })

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}

function withKey(base: WebhookScheme, bytes: Uint8Array): WebhookScheme {
  return { ...base, decodeSecret: () => ({ kind: 'hmac', bytes }) }
}

type Attempt =
  | { ok: true; id?: string | undefined; type?: string | undefined; timestamp?: number | undefined }
  | { ok: false; error: unknown }

/** One verification, as a value: variants are tried by the dozen, and a rejection is an ordinary outcome here. */
async function attempt(
  scheme: WebhookScheme,
  secret: string,
  headers: HeadersInput,
  body: Uint8Array,
  now: number,
  tolerance?: number,
): Promise<Attempt> {
  try {
    const verifier = createWebhookVerifier({
      scheme,
      secret,
      now: () => now,
      ...(tolerance === undefined ? {} : { toleranceSeconds: tolerance }),
    })
    const delivery = await verifier.verify({ headers, body })
    let id: string | undefined
    let type: string | undefined
    try {
      id = delivery.id
      type = delivery.type
    } catch {
      // A body that is not JSON still verified; it just has no payload id or type.
    }
    return { ok: true, id, type, timestamp: delivery.timestamp }
  } catch (error) {
    return { ok: false, error }
  }
}

interface SecretVariant {
  label: string
  message: string
  bytes: Uint8Array
  scheme: WebhookScheme
}

function decodeOrUndefined(scheme: WebhookScheme, secret: string): Uint8Array | undefined {
  try {
    const key = scheme.decodeSecret(secret)
    return key.kind === 'hmac' ? key.bytes : undefined
  } catch {
    return undefined
  }
}

/** The mistakes people make with secrets, as key bytes to try. */
function secretVariants(scheme: WebhookScheme, secret: string): SecretVariant[] {
  const given = decodeOrUndefined(scheme, secret)
  const variants: SecretVariant[] = []
  const add = (label: string, message: string, bytes: Uint8Array | undefined) => {
    if (!bytes || bytes.byteLength === 0) return
    if (given && sameBytes(bytes, given)) return
    if (variants.some((v) => sameBytes(v.bytes, bytes))) return
    variants.push({ label, message, bytes, scheme: withKey(scheme, bytes) })
  }
  const trimmed = secret.trim()
  if (trimmed !== secret) {
    add(
      'trimmed',
      'the secret has leading or trailing whitespace (a newline copied from a file or .env?); remove it',
      decodeOrUndefined(scheme, trimmed),
    )
  }
  const unquoted = trimmed.replace(/^(['"])(.*)\1$/, '$2')
  if (unquoted !== trimmed) {
    add('unquoted', 'the secret still has its quotes (copied from a .env or JSON file?); remove them', decodeOrUndefined(scheme, unquoted))
  }
  const clean = unquoted
  if (!clean.startsWith('whsec_')) {
    add(
      'whsec_ prefix added',
      'the secret is missing its whsec_ prefix: pass it exactly as the provider shows it, prefix included',
      decodeOrUndefined(scheme, `whsec_${clean}`),
    )
  } else {
    add('whsec_ prefix removed', 'the sender signed with the secret without its whsec_ prefix', decodeOrUndefined(scheme, clean.slice(6)))
  }
  const bare = clean.replace(/^wh(sec|sk|pk)_/, '')
  add(
    'used as text',
    'the sender used the whole secret as text bytes instead of base64-decoding it (a base64 secret used raw)',
    utf8.encode(clean),
  )
  if (bare !== clean) {
    add(
      'base64 part used as text',
      'the sender used the base64 part after whsec_ as text bytes instead of decoding it (a base64 secret used raw)',
      utf8.encode(bare),
    )
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(bare) && bare.length % 4 !== 1) {
    add('base64-decoded', 'the sender base64-decoded the secret before signing; this scheme uses it as text', Buffer.from(bare, 'base64'))
  }
  if (/^(?:[0-9a-fA-F]{2})+$/.test(bare)) {
    add('hex-decoded', 'the sender hex-decoded the secret before signing; this scheme uses it as text', Buffer.from(bare, 'hex'))
  }
  return variants
}

interface BodyVariant {
  label: string
  bytes: Uint8Array
}

/** Plausible forms of the body the provider signed, given the bytes the receiver ended up with. */
function bodyVariants(body: Uint8Array): BodyVariant[] {
  let source: string
  try {
    source = text.decode(body)
  } catch {
    return []
  }
  const variants: BodyVariant[] = []
  const seen = new Set<string>([source])
  const add = (label: string, candidate: string) => {
    if (seen.has(candidate)) return
    seen.add(candidate)
    variants.push({ label, bytes: utf8.encode(candidate) })
  }
  add('the same body without its trailing newline', source.replace(/(?:\r?\n)+$/, ''))
  add('the same body with a trailing newline', `${source}\n`)
  add('the same body with LF line endings (yours has CRLF)', source.replaceAll('\r\n', '\n'))
  add('the same body with CRLF line endings (yours has LF)', source.replace(/\r?\n/g, '\r\n'))
  add('the same body without surrounding whitespace', source.trim())
  let parsed: unknown
  try {
    parsed = JSON.parse(source)
  } catch {
    return variants
  }
  for (const form of jsonForms(parsed) as JsonForm[]) add(form.label, form.text)
  return variants
}

function duration(seconds: number): string {
  const s = Math.abs(seconds)
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  if (s < 172_800) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
  return `${Math.round(s / 86_400)} days`
}

function skewCause(error: WebhookError, timestamp: number | undefined): DiagnosisCause {
  const past = error.code === 'timestamp_expired'
  const seconds = Number(past ? error.details?.ageSeconds : error.details?.aheadSeconds)
  const tolerance = Number(error.details?.toleranceSeconds)
  const signedAt = timestamp === undefined ? '' : new Date(timestamp * 1000).toISOString()
  const message = past
    ? `the signature is genuine, but it was made ${duration(seconds)} ago (${seconds} s; the tolerance is ${tolerance} s). ` +
      `A replayed or saved delivery, or a server clock that is behind.${timestamp === undefined ? '' : ` To check a saved delivery as of when it was sent: --now ${timestamp}`}`
    : `the signature is genuine, but its timestamp is ${duration(seconds)} in the future (${seconds} s; the tolerance is ${tolerance} s): the sender's clock or this machine's is off`
  return { kind: 'timestamp_skew', direction: past ? 'past' : 'future', seconds, toleranceSeconds: tolerance, signedAt, message }
}

function headerNames(headers: HeadersInput): string[] {
  const names = new Set<string>()
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    for (const [k] of (headers as Headers).entries()) names.add(k.toLowerCase())
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [k] of headers as Iterable<readonly [string, string]>) names.add(k.toLowerCase())
  } else {
    for (const k of Object.keys(headers)) names.add(k.toLowerCase())
  }
  return [...names]
}

/** Headers of another provider: the most basic mix-up, and the cheapest to check. */
async function otherSchemeCauses(
  options: DiagnoseOptions,
  now: number,
): Promise<{ verifying: DiagnosisCause[]; lookalike: DiagnosisCause[] }> {
  const get = headerGetter(options.headers)
  const verifying: DiagnosisCause[] = []
  const lookalike: DiagnosisCause[] = []
  for (const other of SCHEME_NAMES) {
    if (other === options.scheme) continue
    const header = SIGNATURE_HEADERS[other].find((h) => {
      try {
        return get(h) !== undefined
      } catch {
        return true // sent twice: present all the same
      }
    })
    if (!header) continue
    const scheme = resolveScheme(other)
    let verifies = false
    for (const candidate of [scheme, ...secretVariants(scheme, options.secret).map((v) => v.scheme)]) {
      if ((await attempt(candidate, options.secret, options.headers, options.body, now, ANY_TIME)).ok) {
        verifies = true
        break
      }
    }
    if (verifies) {
      const message = `these headers are ${other}'s (${header}), and they verify with --scheme ${other}: configure the receiver for ${other}`
      verifying.push({ kind: 'wrong_scheme', scheme: other, header, verifies, message })
    } else {
      const message = `these headers look like ${other}'s (${header}), not ${options.scheme}'s: is the receiver configured for the right provider?`
      lookalike.push({ kind: 'wrong_scheme', scheme: other, header, verifies, message })
    }
  }
  return { verifying, lookalike }
}

/**
 * Verifies one delivery and, when it fails, finds the most likely cause: headers of another scheme,
 * a secret in the wrong format, a re-serialised body (and which serialisation matches the
 * signature), or timestamp skew and by how much.
 * @example const d = await diagnose({ scheme: 'stripe', secret, headers, body }); d.causes[0]?.message
 */
export async function diagnose(options: DiagnoseOptions): Promise<Diagnosis> {
  const now = options.now ?? Date.now()
  const base = resolveScheme(options.scheme)
  const tolerance = options.toleranceSeconds
  const { headers, body, secret } = options
  const first = await attempt(base, secret, headers, body, now, tolerance)
  if (first.ok) {
    return {
      verified: true,
      scheme: options.scheme,
      message: `verified: a genuine ${options.scheme} delivery`,
      delivery: { id: first.id, type: first.type, timestamp: first.timestamp },
      causes: [],
    }
  }
  const error = first.error
  if (!WebhookError.is(error)) {
    // A TypeError from core: the secret itself cannot be used with this scheme.
    const message = (error as Error).message
    const others = await otherSchemeCauses(options, now)
    const causes: DiagnosisCause[] = [...others.verifying, { kind: 'secret_format', variant: 'invalid', message }, ...others.lookalike]
    return { verified: false, scheme: options.scheme, message, causes }
  }
  const verdict = { verified: false, scheme: options.scheme, code: error.code, status: error.status, message: error.message }
  const causes: DiagnosisCause[] = []

  if (error.code === 'timestamp_expired' || error.code === 'timestamp_in_future') {
    const genuine = await attempt(base, secret, headers, body, now, ANY_TIME)
    causes.push(skewCause(error, genuine.ok ? genuine.timestamp : undefined))
    return { ...verdict, causes }
  }

  if (error.code === 'signature_mismatch') {
    // 1. The secret, as the sender may have used it.
    for (const variant of secretVariants(base, secret)) {
      const matched = await attempt(variant.scheme, secret, headers, body, now, ANY_TIME)
      if (!matched.ok) continue
      causes.push({ kind: 'secret_format', variant: variant.label, message: variant.message })
      const clocked = await attempt(variant.scheme, secret, headers, body, now, tolerance)
      if (!clocked.ok && WebhookError.is(clocked.error) && clocked.error.code.startsWith('timestamp_')) {
        causes.push(skewCause(clocked.error, matched.timestamp))
      }
      break
    }
    // 2. The body, as the sender may have written it.
    if (causes.length === 0) {
      for (const variant of bodyVariants(body)) {
        if (!(await attempt(base, secret, headers, variant.bytes, now, ANY_TIME)).ok) continue
        causes.push({
          kind: 'body_reserialised',
          form: variant.label,
          message:
            `the signature matches ${variant.label}, not the bytes you have: the body was parsed and written again (by a body parser, ` +
            'a framework, or JSON.stringify) before verification. Verify the exact raw request bytes: mount hookguard before any body parser.',
        })
        break
      }
    }
  }

  const others = await otherSchemeCauses(options, now)
  causes.unshift(...others.verifying)
  causes.push(...others.lookalike)

  if (error.code === 'missing_header' || error.code === 'malformed_header') {
    const header = typeof error.details?.header === 'string' ? error.details.header : undefined
    const present = headerNames(headers)
    causes.push({
      kind: 'header',
      ...(header ? { header } : {}),
      message: `${error.message.replace(/^@hookguard\/core: /, '')} (the headers present: ${present.join(', ') || 'none'}). A proxy that drops headers, or a request from another sender?`,
    })
  }
  if (causes.length === 0) {
    causes.push({
      kind: 'unknown',
      message:
        'no secret variant and no re-serialisation of the body matches: the secret is most likely not the one this delivery was signed with ' +
        '(test vs live mode? another endpoint?), or the body is not the one these headers came with.',
    })
  }
  return { ...verdict, causes }
}
