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
  const fields: Record<string, string> = {}
  for (const [key, value] of params) fields[key] = value
  return fields
}

/**
 * Parses a verified body: JSON; `application/x-www-form-urlencoded` (a lone `payload=` field is
 * itself parsed as JSON); any other declared text type stays text. Without a content type, a body
 * that starts like JSON is parsed as JSON. Invalid UTF-8 or JSON is `invalid_payload` (422).
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
  if (type === '' || type.endsWith('/json') || type.endsWith('+json')) {
    if (type === '') {
      const first = text.trimStart()[0]
      if (first !== '{' && first !== '[') return text
    }
    return parseJson(text)
  }
  return text
}
