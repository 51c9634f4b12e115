// A server that receives oversized uploads, for peak-RSS measurement:
// `upload-server.ts <hookguard|naive>`. hookguard: node:http + handle() with maxBodyBytes 1 MiB;
// naive: a hand-written server that buffers the whole body before checking anything.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebhookHandler } from '@hookguard/core'
import { SECRETS } from './fixtures'

const mode = process.argv[2] ?? 'hookguard'
const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRETS['standard-webhooks'], maxBodyBytes: 1_048_576 })
const statuses: Record<string, number> = {}
const server = createServer(async (req, res) => {
  if (mode === 'naive') {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    statuses[String(body.byteLength)] = (statuses[String(body.byteLength)] ?? 0) + 1
    res.writeHead(401).end()
    return
  }
  const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
  statuses[result.status] = (statuses[result.status] ?? 0) + 1
  res.writeHead(result.status, result.headers).end(result.body)
})
server.listen(0, '127.0.0.1', () => {
  globalThis.gc?.()
  process.send?.({ port: (server.address() as AddressInfo).port, baselineRssBytes: process.memoryUsage().rss })
})
process.on('message', (m) => {
  if (m === 'report') process.send?.({ maxRssBytes: process.resourceUsage().maxRSS * 1024, rssBytes: process.memoryUsage().rss, statuses })
})
process.on('disconnect', () => process.exit(0))
