import { connect } from 'node:net'

/** Redis URL the tests use. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
/** PostgreSQL URL the tests use. */
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'

function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * Whether a service the tests need answers. When it does not: under `CI=true` this throws (an
 * unreachable service must fail CI, never skip silently); elsewhere it prints a loud notice and
 * the caller skips its tests.
 */
export async function requireService(name: string, url: string): Promise<boolean> {
  if (await reachable(url)) return true
  const message = `${name} is not reachable at ${url}`
  if (process.env.CI === 'true') throw new Error(`[hookguard tests] ${message}; CI requires it.`)
  const bar = '!'.repeat(78)
  console.warn(
    `\n${bar}\n!! SKIPPING ${name} TESTS: ${message}.\n!! Start it (see README) or set the URL env variable to run them.\n${bar}\n`,
  )
  return false
}
