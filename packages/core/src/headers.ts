import { WebhookError } from './errors'

/**
 * Headers as every runtime hands them over: a WHATWG `Headers`, Node's `IncomingHttpHeaders`
 * (values may be `string[]`), or a plain record in any letter case.
 */
export type HeadersInput = Headers | Readonly<Record<string, string | readonly string[] | undefined>> | Iterable<readonly [string, string]>

/** Reads one header by lower-case name: `undefined` when absent, an error when sent twice. */
export type HeaderGetter = (lowerName: string) => string | undefined

function single(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined
    if (value.length > 1) {
      // Two values for one signature/id/timestamp header is ambiguous: refuse rather than pick one.
      throw new WebhookError('malformed_header', `@hookguard/core: the ${name} header was sent ${value.length} times; send it once.`)
    }
    if (typeof value[0] === 'string') return value[0]
  }
  throw new WebhookError('malformed_header', `@hookguard/core: the ${name} header is not text.`)
}

// `append` tells a WHATWG Headers (any realm or polyfill) apart from a Map, which also has get/has.
function isHeaders(input: unknown): input is Headers {
  return typeof (input as Headers).get === 'function' && typeof (input as Headers).append === 'function'
}

/** Normalises any supported headers shape into a getter. */
export function headerGetter(input: HeadersInput | undefined | null): HeaderGetter {
  if (input == null) return () => undefined
  if (isHeaders(input)) return (name) => single(name, input.get(name))
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const map = new Map<string, string[]>()
    for (const entry of input as Iterable<unknown>) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
        throw new TypeError('@hookguard/core: headers must be a Headers, a record, or an iterable of [name, value] pairs')
      }
      const [k, v] = entry as [string, string]
      const key = k.toLowerCase()
      const list = map.get(key)
      if (list) list.push(v)
      else map.set(key, [v])
    }
    return (name) => single(name, map.get(name))
  }
  const record = input as Readonly<Record<string, string | readonly string[] | undefined>>
  let lowered: Map<string, string | readonly string[] | undefined> | undefined
  return (name) => {
    // Node's IncomingHttpHeaders are already lower-case: the direct hit is the common path.
    const direct = record[name]
    if (direct !== undefined) return single(name, direct)
    if (!lowered) {
      lowered = new Map()
      for (const key of Object.keys(record)) {
        const lower = key.toLowerCase()
        if (lowered.has(lower)) {
          const prev = lowered.get(lower)
          const next = record[key]
          const merged = ([] as string[]).concat(prev ?? [], next ?? [])
          lowered.set(lower, merged)
        } else lowered.set(lower, record[key])
      }
    }
    return single(name, lowered.get(name))
  }
}

/** The value of a required header, or `missing_header` when it is absent or empty. */
export function requireHeader(get: HeaderGetter, name: string): string {
  const value = get(name)
  // Only a value that starts with whitespace can be blank: skip trim()'s copy on the hot path.
  if (value === undefined || value === '' || (value.charCodeAt(0) <= 0x20 && value.trim() === '')) {
    throw new WebhookError(
      'missing_header',
      `@hookguard/core: the ${name} header is missing; is this request from the provider you configured?`,
      {
        details: { header: name },
      },
    )
  }
  return value
}

/** The first present header among aliases (e.g. `webhook-id` / `svix-id`). */
export function firstHeader(get: HeaderGetter, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = get(name)
    if (value !== undefined && value !== '' && (value.charCodeAt(0) > 0x20 || value.trim() !== '')) return { name, value }
  }
  return undefined
}
