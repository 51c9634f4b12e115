import Table from 'cli-table3'
import pc from 'picocolors'

export { pc }

/** A table for people: cli-table3 keeps columns aligned even with colour codes inside cells. */
export function table(head: string[], rows: Array<Array<string | number>>, align?: Array<'left' | 'right'>): string {
  const t = new Table({
    head: head.map((h) => pc.bold(h)),
    style: { head: [], border: [] },
    // No rule between rows: a table to read at a glance, not a spreadsheet.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    ...(align ? { colAligns: align } : {}),
  })
  for (const row of rows) t.push(row.map(String))
  return t.toString()
}

/** Writes JSON for scripts: one document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** A status code in a colour that says good, refused or broken. */
export function statusColour(status: number | string): string {
  const n = typeof status === 'number' ? status : Number(status)
  const text = String(status)
  if (n >= 200 && n < 300) return pc.green(text)
  if (n >= 400 && n < 500) return pc.yellow(text)
  return pc.red(text)
}
