import type { AddressInfo } from 'node:net'
import { sign } from '@hookguard/core'
import { expect, it } from 'vitest'
// @ts-expect-error plain ESM example
import { createApp } from '../src/app.mjs'

const secret = 'example-secret'

it('receives signed GitHub deliveries in both styles over real HTTP, behind @koa/bodyparser', async () => {
  const lines: string[] = []
  const server = createApp({ secret, log: (line: string) => lines.push(line) }).listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const issue = JSON.stringify({ action: 'opened', issue: { number: 7 } })
    const res = await fetch(`${base}/webhooks/github`, {
      method: 'POST',
      headers: await sign({ scheme: 'github', secret, body: issue, type: 'issues' }),
      body: issue,
    })
    expect(res.status).toBe(200)

    const release = JSON.stringify({ action: 'published', release: { tag_name: 'v1.0.0' } })
    const rel = await fetch(`${base}/webhooks/releases`, {
      method: 'POST',
      headers: await sign({ scheme: 'github', secret, body: release, type: 'release' }),
      body: release,
    })
    expect(rel.status).toBe(200)
    expect(lines).toEqual(['issue #7 opened', 'release event release.published'])

    const echo = await fetch(`${base}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(await echo.json()).toEqual({ a: 1 })
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})
