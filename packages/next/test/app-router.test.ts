import { createWebhookHandler, sign } from '@hookguard/core'
import { webhookRoute, withWebhook } from '@hookguard/next'
import { describe, expect, it } from 'vitest'

// App Router route handlers are plain `(Request) => Response` functions, so Next calls them the way these tests do.
// The real-server proof (next build + next start, Node.js and Edge runtimes) is examples/next-app/test/e2e.test.ts.
type Events = { 'user.created': { data: { id: string } } }
const secret = 'whsec_dGVzdC1zZWNyZXQtZm9yLWhvb2tndWFyZC1uZXh0'

async function delivery(id: string, data = { id: 'user_1' }) {
  const body = JSON.stringify({ type: 'user.created', data })
  const headers = await sign({ scheme: 'standard-webhooks', secret, body, id })
  return () => new Request('http://localhost/api/webhooks', { method: 'POST', headers, body })
}

const hooksFor = () => createWebhookHandler<Events>({ scheme: 'standard-webhooks', secret })

describe('webhookRoute', () => {
  it("runs the hooks' on() handlers and answers with core's result", async () => {
    const seen: string[] = []
    const POST = webhookRoute(hooksFor().on('user.created', (event) => void seen.push(event.payload.data.id)))
    const request = await delivery('msg_1')
    expect((await POST(request())).status).toBe(200)
    const duplicate = await POST(request())
    expect(await duplicate.json()).toEqual({ ok: true, duplicate: true })
    expect(seen).toEqual(['user_1'])
    const tampered = new Request(request(), { body: '{"type":"user.created","data":{"id":"user_2"}}' })
    expect((await POST(tampered)).status).toBe(401)
  })
})

describe('withWebhook', () => {
  it("answers with the handler's Response and completes the delivery on 2xx", async () => {
    const calls: string[] = []
    const POST = withWebhook(hooksFor(), async (event, request) => {
      calls.push(`${event.type}:${event.payload.data.id}:${new URL(request.url).pathname}`)
      return Response.json({ welcomed: event.payload.data.id }, { status: 201 })
    })
    const request = await delivery('msg_2')
    const response = await POST(request())
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ welcomed: 'user_1' })
    expect(await (await POST(request())).json()).toEqual({ ok: true, duplicate: true })
    expect(calls).toEqual(['user.created:user_1:/api/webhooks'])
  })

  it('releases the delivery when the handler answers non-2xx, so the retry runs it again', async () => {
    let calls = 0
    const POST = withWebhook(hooksFor(), () => new Response('busy', { status: ++calls === 1 ? 503 : 200 }))
    const request = await delivery('msg_3')
    expect((await POST(request())).status).toBe(503)
    expect((await POST(request())).status).toBe(200)
    expect((await POST(request())).status).toBe(200)
    expect(calls).toBe(2)
  })

  it('answers 500 handler_failed without the thrown message when the handler throws, and releases the delivery', async () => {
    let calls = 0
    const POST = withWebhook(hooksFor(), () => {
      if (++calls === 1) throw new Error('db password is hunter2')
      return new Response(null, { status: 204 })
    })
    const request = await delivery('msg_4')
    const failed = await POST(request())
    expect(failed.status).toBe(500)
    const text = await failed.text()
    expect(JSON.parse(text).error.code).toBe('handler_failed')
    expect(text).not.toContain('hunter2')
    expect((await POST(request())).status).toBe(204)
    expect(calls).toBe(2)
  })

  it('never calls the handler for a rejected delivery', async () => {
    let calls = 0
    const POST = withWebhook(hooksFor(), () => {
      calls++
      return new Response(null, { status: 204 })
    })
    const request = await delivery('msg_5')
    const unsigned = new Request('http://localhost/api/webhooks', { method: 'POST', body: '{}' })
    const response = await POST(unsigned)
    expect(response.status).toBe(400)
    expect((await response.json()).error.code).toBe('missing_header')
    const stale = new Request(request(), { method: 'PUT' })
    expect((await POST(stale)).status).toBe(405)
    expect(calls).toBe(0)
  })
})
