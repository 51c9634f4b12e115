import { statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

// The tests run `dist/bin.js` as users do; a stale build would test old code, so refuse it loudly.
export default async function setup(): Promise<void> {
  let built: number
  try {
    built = statSync(`${root}dist/bin.js`).mtimeMs
  } catch {
    throw new Error('@hookguard/cli tests run the built CLI: run `pnpm --filter @hookguard/cli build` first')
  }
  const sources = await readdir(`${root}src`, { recursive: true })
  const newest = Math.max(...sources.map((f) => statSync(`${root}src/${f}`).mtimeMs))
  if (newest > built) throw new Error('@hookguard/cli: src/ is newer than dist/: run `pnpm --filter @hookguard/cli build` first')
}
