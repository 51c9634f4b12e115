import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebhookHandler, sign } from '@hookguard/core'
import { BODY_PARSER_CONFIG, webhookApiRoute } from '@hookguard/next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// A real Node server on port 0 hands webhookApiRoute the same IncomingMessage/ServerResponse pair Next's Pages
// Router does. `parse` stands in for Next's body parser (it drains the stream and sets req.body), which is the
// case the adapter must catch; examples/next-app proves the same against real `next start`.
type Events = { push: { ref: string } }
const secret = 'github-test-secret'
const seen: string[] = []
const hooks = createWebhookHandler<Events>({ scheme: 'github', secret, maxBodyBytes: 1024 }).on('push', (event) => {
  seen.push(event.payload.ref)
})
const route = webhookApiRoute(hooks)

async function parse(req: IncomingMessage & { body?: unknown }) {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

let server: Server
let base: string
beforeAll(async () => {
  server = createServer(async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    if (req.url === '/parsed') await parse(req)
    await route(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function send(path: string, id: string, body = '{"ref":"refs/heads/main"}') {
  const headers = await sign({ scheme: 'github', secret, body, id, type: 'push' })
  return fetch(`${base}${path}`, { method: 'POST', headers, body })
}

describe('webhookApiRoute', () => {
  it('reads the raw stream, verifies, runs the handler once and acknowledges the duplicate', async () => {
    const first = await send('/raw', 'd-1')
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await first.json()).toEqual({ ok: true })
    expect(await (await send('/raw', 'd-1')).json()).toEqual({ ok: true, duplicate: true })
    expect(seen).toEqual(['refs/heads/main'])
  })

  it('answers 500 raw_body_unavailable naming the config line when the body was already parsed', async () => {
    const response = await send('/parsed', 'd-2')
    expect(response.status).toBe(500)
    const { error } = await response.json()
    expect(error.code).toBe('raw_body_unavailable')
    expect(error.message).toContain('export const config = { api: { bodyParser: false } }')
    expect(BODY_PARSER_CONFIG).toBe('export const config = { api: { bodyParser: false } }')
  })

  it('answers 413 with connection: close past maxBodyBytes, and 401 to a tampered body', async () => {
    const big = await send('/raw', 'd-3', JSON.stringify({ ref: 'x'.repeat(4096) }))
    expect(big.status).toBe(413)
    expect(big.headers.get('connection')).toBe('close')
    expect((await big.json()).error.code).toBe('body_too_large')

    const headers = await sign({ scheme: 'github', secret, body: '{"ref":"a"}', id: 'd-4', type: 'push' })
    const tampered = await fetch(`${base}/raw`, { method: 'POST', headers, body: '{"ref":"b"}' })
    expect(tampered.status).toBe(401)
    expect(seen).toEqual(['refs/heads/main'])
  })
})
