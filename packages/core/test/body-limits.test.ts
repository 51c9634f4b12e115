// Reading bodies: the limit is enforced while reading (never buffering past it), consumed and
// aborted bodies fail fast with their own codes.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { createWebhookHandler, readBody, sign } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { parsed } from './pipeline-helpers'

const SECRET = 'whsec_body_secret'
const LIMIT = 8 * 1024
const CHUNK = 1024
let seq = 0
const event = () => JSON.stringify({ id: `evt_body_${++seq}`, type: 'invoice.paid' })

function handler(calls: { n: number }) {
  const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, maxBodyBytes: LIMIT })
  hooks.on('*', () => void calls.n++)
  return hooks
}

/** An endless WHATWG stream that counts the bytes anyone pulled from it. */
function endlessWebStream() {
  const stats = { pulled: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        stats.pulled += CHUNK
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20))
      },
      cancel() {
        stats.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, stats }
}

/** An endless Node readable that counts the bytes it produced. */
function endlessNodeStream() {
  const stats = { produced: 0 }
  const stream = new Readable({
    highWaterMark: CHUNK,
    read() {
      stats.produced += CHUNK
      this.push(Buffer.alloc(CHUNK, 0x20))
    },
  })
  return { stream, stats }
}

describe('body limits', () => {
  it('stops pulling a WHATWG stream without Content-Length at the limit (hooks.fetch → 413)', async () => {
    const calls = { n: 0 }
    const hooks = handler(calls)
    const { stream, stats } = endlessWebStream()
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body: event() })
    const request = new Request('http://localhost/webhooks', { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit)
    expect(request.headers.get('content-length')).toBeNull()
    const response = await hooks.fetch(request)
    expect(response.status).toBe(413)
    expect((await response.json()).error.code).toBe('body_too_large')
    // It read one chunk past the limit (that is how it knew), then cancelled the source.
    expect(stats.pulled).toBeGreaterThan(LIMIT)
    expect(stats.pulled).toBeLessThanOrEqual(LIMIT + 2 * CHUNK)
    expect(stats.cancelled).toBe(true)
    expect(calls.n).toBe(0)
  })

  it('stops reading a Node stream at the limit and leaves it paused (hooks.handle → 413)', async () => {
    const calls = { n: 0 }
    const hooks = handler(calls)
    const { stream, stats } = endlessNodeStream()
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body: event() })
    const result = parsed(await hooks.handle({ method: 'POST', headers, body: stream }))
    expect(result.status).toBe(413)
    expect(result.json.error.code).toBe('body_too_large')
    expect(result.headers.connection).toBe('close')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(stream.isPaused()).toBe(true)
    expect(stats.produced).toBeLessThanOrEqual(LIMIT + 3 * CHUNK)
    expect(calls.n).toBe(0)
  })

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    const { stream, stats } = endlessWebStream()
    await expect(readBody(stream, { maxBodyBytes: LIMIT, contentLength: String(LIMIT + 1) })).rejects.toMatchObject({
      code: 'body_too_large',
      status: 413,
    })
    expect(stats.pulled).toBe(0)
    await expect(readBody('x', { contentLength: '12abc' })).rejects.toMatchObject({ code: 'malformed_header', status: 400 })
    // Exactly at the limit is fine.
    const exact = new Uint8Array(LIMIT)
    expect((await readBody(exact, { maxBodyBytes: LIMIT, contentLength: String(LIMIT) })).byteLength).toBe(LIMIT)
  })

  it('joins a body that arrives in many chunks exactly', async () => {
    const body = event()
    const bytes = new TextEncoder().encode(body)
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1))
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET })
    hooks.on('invoice.paid', (e) => ({ echoed: new TextDecoder().decode(e.rawBody) }))
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body })
    const fromNode = parsed(await hooks.handle({ method: 'POST', headers, body: Readable.from(chunks) }))
    expect(fromNode.json).toEqual({ echoed: body })
    // The same bytes from a WHATWG stream verify too (and are, rightly, a duplicate by now).
    let next = 0
    const web = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[next++]
        if (chunk) controller.enqueue(new Uint8Array(chunk))
        else controller.close()
      },
    })
    const fromWeb = parsed(await hooks.handle({ method: 'POST', headers, body: web }))
    expect(fromWeb.json).toEqual({ ok: true, duplicate: true })
  })

  it('streams over a real socket: a chunked body without Content-Length is cut off at the limit', async () => {
    const calls = { n: 0 }
    const hooks = handler(calls)
    let received = 0
    const server = createServer(async (req, res) => {
      req.on('data', (chunk: Buffer) => {
        received += chunk.length
      })
      const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
      res.writeHead(result.status, result.headers).end(result.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const headers = await sign({ scheme: 'stripe', secret: SECRET, body: event() })
      let sent = 0
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= 64 * LIMIT) return controller.close()
          sent += CHUNK
          controller.enqueue(new Uint8Array(CHUNK).fill(0x20))
          await new Promise((resolve) => setTimeout(resolve, 1))
        },
      })
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
      expect(response.status).toBe(413)
      expect((await response.json()).error.code).toBe('body_too_large')
      expect(received).toBeLessThanOrEqual(LIMIT + 64 * 1024)
      expect(calls.n).toBe(0)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('500 raw_body_unavailable for a consumed Node stream, a used Request and a parsed object', async () => {
    const hooks = handler({ n: 0 })
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body: event() })
    const consumed = Readable.from([Buffer.from('{}')])
    for await (const _ of consumed) {
      // a body parser got here first
    }
    const fromStream = parsed(await hooks.handle({ method: 'POST', headers, body: consumed }))
    expect(fromStream.status).toBe(500)
    expect(fromStream.json.error.code).toBe('raw_body_unavailable')

    const request = new Request('http://localhost/', { method: 'POST', headers, body: '{}' })
    await request.text()
    const response = await hooks.fetch(request)
    expect(response.status).toBe(500)
    expect((await response.json()).error.code).toBe('raw_body_unavailable')

    const fromObject = parsed(await hooks.handle({ method: 'POST', headers, body: { id: 'evt' } as never }))
    expect(fromObject.status).toBe(500)
    expect(fromObject.json.error.code).toBe('raw_body_unavailable')
  })

  it('400 request_aborted when the body stream fails mid-way', async () => {
    const hooks = handler({ n: 0 })
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body: event() })
    const node = new Readable({ read() {} })
    node.push(Buffer.from('{"id":'))
    setTimeout(() => node.destroy(new Error('ECONNRESET')), 5)
    const fromNode = parsed(await hooks.handle({ method: 'POST', headers, body: node }))
    expect(fromNode.status).toBe(400)
    expect(fromNode.json.error.code).toBe('request_aborted')

    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'))
        setTimeout(() => controller.error(new Error('reset')), 5)
      },
    })
    const fromWeb = parsed(await hooks.handle({ method: 'POST', headers, body: web }))
    expect(fromWeb.status).toBe(400)
    expect(fromWeb.json.error.code).toBe('request_aborted')
  })

  it('a verified empty JSON body is 422 invalid_payload', async () => {
    const hooks = handler({ n: 0 })
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body: '' })
    const result = parsed(await hooks.handle({ method: 'POST', headers, body: new Uint8Array(0) }))
    expect(result.status).toBe(422)
    expect(result.json.error.code).toBe('invalid_payload')
  })
})
