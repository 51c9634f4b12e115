/**
 * The ways common tools write JSON, for finding which re-serialisation of a body a signature was
 * made over. `JSON.stringify` alone cannot change separators or escaping, so this small writer
 * covers what Node, Python's `json.dumps` and PHP's `json_encode` produce by default.
 */
export interface JsonForm {
  /** Human description, e.g. "compact JSON (JSON.stringify)". */
  label: string
  text: string
}

interface Style {
  indent: string
  itemSep: string
  keySep: string
  order: 'original' | 'sorted' | 'reversed'
  ascii: boolean
  slashes: boolean
}

function escapeString(value: string, style: Style): string {
  let out = JSON.stringify(value)
  if (style.ascii) out = out.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (style.slashes) out = out.replaceAll('/', '\\/')
  return out
}

function write(value: unknown, style: Style, depth: number): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? escapeString(value, style) : JSON.stringify(value)
  const inner = style.indent ? `\n${style.indent.repeat(depth + 1)}` : ''
  const outer = style.indent ? `\n${style.indent.repeat(depth)}` : ''
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[${inner}${value.map((v) => write(v, style, depth + 1)).join(`${style.itemSep}${inner}`)}${outer}]`
  }
  let keys = Object.keys(value)
  if (keys.length === 0) return '{}'
  if (style.order !== 'original') keys = [...keys].sort()
  if (style.order === 'reversed') keys.reverse()
  const record = value as Record<string, unknown>
  const items = keys.map((k) => `${escapeString(k, style)}${style.keySep}${write(record[k], style, depth + 1)}`)
  return `{${inner}${items.join(`${style.itemSep}${inner}`)}${outer}}`
}

const LAYOUTS = [
  { name: 'compact JSON', indent: '', itemSep: ',', keySep: ':' },
  { name: "JSON with ', ' and ': ' separators (Python json.dumps)", indent: '', itemSep: ', ', keySep: ': ' },
  { name: '2-space indented JSON', indent: '  ', itemSep: ',', keySep: ': ' },
  { name: '4-space indented JSON', indent: '    ', itemSep: ',', keySep: ': ' },
  { name: 'tab-indented JSON', indent: '\t', itemSep: ',', keySep: ': ' },
] as const
const ORDERS = ['original', 'sorted', 'reversed'] as const
const ESCAPES = [
  { ascii: false, slashes: false, name: '' },
  { ascii: true, slashes: false, name: 'non-ASCII written as \\u escapes' },
  { ascii: true, slashes: true, name: 'non-ASCII and "/" escaped (PHP json_encode)' },
] as const
const ENDINGS = [
  { text: '', name: '' },
  { text: '\n', name: 'a trailing newline' },
] as const

/** Every JSON form of `value` this tool tries, most common first, without duplicates of the same text. */
export function jsonForms(value: unknown): JsonForm[] {
  const forms: JsonForm[] = []
  const seen = new Set<string>()
  for (const ending of ENDINGS) {
    for (const escaping of ESCAPES) {
      for (const order of ORDERS) {
        for (const layout of LAYOUTS) {
          const text = write(value, { ...layout, order, ascii: escaping.ascii, slashes: escaping.slashes }, 0) + ending.text
          if (seen.has(text)) continue
          seen.add(text)
          const parts: string[] = [layout.name]
          if (order !== 'original') parts.push(order === 'sorted' ? 'keys sorted' : 'keys in reverse order')
          if (escaping.name) parts.push(escaping.name)
          if (ending.name) parts.push(`with ${ending.name}`)
          forms.push({ label: parts.join(', '), text })
        }
      }
    }
  }
  return forms
}
