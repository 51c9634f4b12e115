import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** The fixture servers import '@hookguard/redis' from dist: build it when it is missing or older than src. */
export default function setup(): void {
  let built = 0
  try {
    built = statSync(join(root, 'dist/index.js')).mtimeMs
  } catch {}
  if (built >= newestMtime(join(root, 'src'))) return
  execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
}
