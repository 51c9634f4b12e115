import { decodeUtf8 } from '../encoding'
import { WebhookError } from '../errors'

const invalid = (message: string, cause?: unknown) =>
  new WebhookError('invalid_payload', `@hookguard/core: the delivery verified, but ${message}`, cause === undefined ? {} : { cause })

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw invalid('its body is not valid JSON', error)
  }
}

function parseForm(text: string): unknown {
  const params = new URLSearchParams(text)
  // Slack interactivity and GitHub's form content type wrap the JSON in a `payload` field.
  const wrapped = params.get('payload')
  if (wrapped !== null && [...params.keys()].length === 1) return parseJson(wrapped)
  // fromEntries defines own properties, so a field named `__proto__` stays a field (a plain
  // assignment would be swallowed by the prototype setter); a repeated field keeps its last value.
  return Object.fromEntries(params)
}

/**
 * Parses a verified body: JSON when declared (invalid JSON is `invalid_payload`, 422);
 * `application/x-www-form-urlencoded` (a lone `payload=` field is itself parsed as JSON); any other
 * type: JSON when it looks like JSON and parses, text otherwise. Invalid UTF-8 is `invalid_payload`.
 */
export function parsePayload(body: Uint8Array, contentType: string | undefined): unknown {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  if (body.byteLength === 0) {
    if (type.endsWith('json')) throw invalid('its body is empty')
    return null
  }
  const text = decodeUtf8(body)
  if (text === undefined) throw invalid('its body is not valid UTF-8')
  if (type === 'application/x-www-form-urlencoded') return parseForm(text)
  if (type.endsWith('/json') || type.endsWith('+json')) return parseJson(text)
  // No or another declared type (fetch() sends text/plain for a string body): a body that looks
  // like JSON is JSON when it parses, and stays text otherwise.
  const first = text.trimStart()[0]
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}
