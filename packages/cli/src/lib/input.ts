import { readFile } from 'node:fs/promises'
import { InvalidArgumentError } from 'commander'
import { UsageError } from './errors'

/** Reads a file's exact bytes (`-` reads standard input): the bytes that are signed or verified. */
export async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    if (path === '-') {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return new Uint8Array(Buffer.concat(chunks))
    }
    return new Uint8Array(await readFile(path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new UsageError(`hookguard: cannot read the ${what} file ${path} (${code})`)
  }
}

// A header line as RFC 9110 §5.1 defines a field name, then the value.
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*:[ \t]*(.*?)[ \t]*$/
const START_LINE = /^(?:[A-Z]+ \S+ HTTP\/\d(?:\.\d)?|HTTP\/\d(?:\.\d)? \d{3}.*)$/

/**
 * Headers from a file: `Name: value` lines (a copied request with its start line is fine; blank
 * lines, `#` comments and HTTP/2 pseudo-headers are skipped), or a JSON object of names to values.
 * Repeated names are kept repeated, so core can refuse a header sent twice the way a server would.
 */
export function parseHeaders(text: string): Array<[string, string]> {
  const source = text.replace(/^\uFEFF/, '')
  if (source.trimStart().startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(source)
    } catch (error) {
      throw new UsageError(`hookguard: the headers file looks like JSON but does not parse (${(error as Error).message})`)
    }
    const entries: Array<[string, string]> = []
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item !== 'string' && typeof item !== 'number') {
          throw new UsageError(`hookguard: the header ${name} in the JSON headers file must be a string`)
        }
        entries.push([name, String(item)])
      }
    }
    return entries
  }
  const entries: Array<[string, string]> = []
  const lines = source.split(/\r?\n/)
  lines.forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#') || line.startsWith(':')) return
    if (index === 0 && START_LINE.test(line)) return
    const match = HEADER_LINE.exec(line)
    if (!match) throw new UsageError(`hookguard: line ${index + 1} of the headers file is not "Name: value": ${line.slice(0, 80)}`)
    entries.push([match[1] as string, match[2] as string])
  })
  if (entries.length === 0) throw new UsageError('hookguard: the headers file holds no headers')
  return entries
}

// Option parsers throw commander's InvalidArgumentError, so commander reports the option by name.

/** `--now`: Unix seconds, Unix milliseconds or an ISO date, as milliseconds. */
export function parseNow(value: string): number {
  if (/^\d{1,11}$/.test(value)) return Number(value) * 1000
  if (/^\d{12,14}$/.test(value)) return Number(value)
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new InvalidArgumentError('use Unix seconds, Unix milliseconds or an ISO date.')
  return ms
}

/** A whole number option in a range, e.g. `--count`. */
export function parseInteger(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`use a whole number from ${min} to ${max}.`)
    return n
  }
}

/** A percentage option, e.g. `--duplicates 10`. */
export function parsePercent(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('use a percentage from 0 to 100.')
  return n
}

/** Unix seconds from `--timestamp` (digits, or an ISO date). */
export function parseTimestamp(value: string): number {
  if (/^\d{1,12}$/.test(value)) return Number(value)
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new InvalidArgumentError('use Unix seconds or an ISO date.')
  return Math.floor(ms / 1000)
}

/** `--header 'Name: value'` (repeatable): extra headers to send. */
export function collectHeader(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const match = HEADER_LINE.exec(value)
  if (!match) throw new InvalidArgumentError('use "Name: value".')
  return [...previous, [match[1] as string, match[2] as string]]
}
