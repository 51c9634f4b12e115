const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/**
 * Parses `90s`, `15m`, `12h`, `7d`, `2w` or a plain number of ms; `1d12h` combines. For the CLI's
 * `--older-than` and `inbox.purge()`.
 */
export function parseDuration(text: string): number {
  const input = String(text).trim()
  if (/^\d+$/.test(input)) return Number(input)
  const parts = [...input.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== input) {
    throw new TypeError(`@hookguard/inbox: cannot read the duration ${JSON.stringify(text)}; use e.g. 90s, 15m, 12h, 7d`)
  }
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * (UNITS[unit as string] as number), 0)
}
