import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { sign } from '@hookguard/core'
import { expect, it } from 'vitest'
// @ts-expect-error plain ESM example
import { createApp } from '../src/app.mjs'

it('receives one signed GitHub delivery over real HTTP', async () => {
  const lines: string[] = []
  const { app, seen } = createApp({ secret: 'example-secret', log: (line: string) => lines.push(line) })
  const server = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }),
    )
  })
  try {
    const body = JSON.stringify({ action: 'opened', issue: { number: 7, title: 'It works' } })
    const headers = await sign({ scheme: 'github', secret: 'example-secret', body, type: 'issues' })
    const res = await fetch(`${server.url}/webhooks/github`, { method: 'POST', headers, body })
    expect(res.status).toBe(200)
    expect(lines).toEqual(['issue #7 opened: It works'])
    expect(seen).toEqual([headers['x-github-delivery']])
  } finally {
    server.close()
  }
})
