import { createServer, request as httpRequest, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebhookHandler, sign, type WebhookEvent, type WebhookHandler, type WebhookHandlerOptions } from '@hookguard/core'
import { Webhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** A running server: `url` is the full webhook endpoint, e.g. `http://127.0.0.1:40123/webhooks`. */
export interface AdapterServer {
  url: string
  close(): Promise<void>
}

/** What the user's route answers in the middleware style. */
export interface ContractReply {
  status: number
  body: unknown
}

/**
 * The user's own route in the middleware style: send `status` with `body` as JSON; when it rejects,
 * let the error take the framework's error path (a 500). In the endpoint style the suite registers
 * it as `hooks.on('*', …)` itself (a rejection is core's `handler_failed`).
 */
export type ContractRoute = (event: WebhookEvent) => Promise<ContractReply>

export interface AdapterContractOptions {
  /** `endpoint`: the adapter serves `hooks` (routing through `hooks.on()`); `middleware`: it verifies and calls `route`. */
  style: 'endpoint' | 'middleware'
  /**
   * Start a server on 127.0.0.1, port 0, whose webhook path goes through the adapter for any HTTP
   * method (so a GET reaches core and is answered 405). `close` should also end open connections
   * (fetch keeps some alive): see {@link listen}, or Fastify's `forceCloseConnections: true`.
   */
  start(hooks: WebhookHandler, route: ContractRoute): Promise<AdapterServer>
  /** @default createWebhookHandler from @hookguard/core */
  createHooks?: (options: WebhookHandlerOptions) => WebhookHandler
  skip?: boolean
}

/** Serves a Node request listener on 127.0.0.1, port 0, for `start()` implementations. */
export async function listen(listener: RequestListener, path = '/webhooks'): Promise<AdapterServer> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // fetch may hold a connection it opened but never used: not "idle" to Node, so end it too.
        server.closeAllConnections()
      }),
  }
}

const SW_SECRET = `whsec_${Buffer.from('hookguard adapter contract secret').toString('base64')}`
const STRIPE_SECRET = 'whsec_adapter_contract'
const MiB = 1024 * 1024

interface Sent {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  /** Body bytes the client had written when the answer came. */
  written: number
}

/**
 * POSTs over node:http (fetch cannot stop mid-body): `chunks` are written with back-pressure until
 * the server answers or closes; `abortAfter` destroys the socket after that many chunks.
 */
function post(url: string, headers: Record<string, string>, chunks: Iterable<Uint8Array>, abortAfter?: number): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0
    let answered = false
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, written }))
      res.on('error', reject)
    })
    // After the answer, the server closes the socket on the rest of the body: EPIPE/ECONNRESET are expected.
    req.on('error', (error) => (answered || abortAfter !== undefined ? undefined : reject(error)))
    const iterator = chunks[Symbol.iterator]()
    let count = 0
    const pump = () => {
      while (!answered && !req.destroyed) {
        const next = iterator.next()
        if (next.done) return void req.end()
        count++
        written += next.value.byteLength
        if (count === abortAfter) {
          // Destroy only once the partial body reached the server's socket (and had a moment to be read).
          req.write(next.value, () => setTimeout(() => req.destroy(), 50))
          req.once('close', () => resolve({ status: 0, headers: {}, text: '', written }))
          return
        }
        if (!req.write(next.value)) return void req.once('drain', pump)
      }
    }
    pump()
  })
}

function* repeat(chunk: Uint8Array, times: number): Generator<Uint8Array> {
  for (let i = 0; i < times; i++) yield chunk
}

/** A deferred the tests resolve by hand. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

type Kind = 'ok' | 'fail_once' | 'status_500_once' | 'wait' | 'wait_once'

/**
 * The one contract every HTTP adapter passes, over real HTTP with `fetch` (node:http where a body
 * must stop midway): valid deliveries signed by `sign()` and by the providers' own libraries,
 * tampered, expired, duplicate, in-flight duplicate, failure then retry, every content type,
 * oversized (declared, and a 50 MB chunked stream with the RSS watched), wrong method, aborted.
 * Run it once per style and per framework major.
 * @example
 * describeAdapterContract('express 5', { style: 'endpoint', start: async (hooks) => {
 *   const app = express(); app.all('/webhooks', webhookHandler(hooks)); return listen(app)
 * } })
 * describeAdapterContract('express 5', { style: 'middleware', start: async (hooks, route) => {
 *   const app = express()
 *   app.all('/webhooks', verifyWebhook(hooks), (req, res, next) => {
 *     route(req.webhook).then(({ status, body }) => res.status(status).json(body), next)
 *   })
 *   return listen(app)
 * } })
 */
export function describeAdapterContract(name: string, options: AdapterContractOptions): void {
  const createHooks = options.createHooks ?? createWebhookHandler
  const middleware = options.style === 'middleware'

  describe.skipIf(options.skip === true)(`adapter contract: ${name} (${options.style})`, () => {
    const calls = new Map<string, number>()
    const entered = new Map<string, () => void>()
    const gates = new Map<string, Promise<void>>()
    const route: ContractRoute = async (event) => {
      const id = event.id ?? ''
      const count = (calls.get(id) ?? 0) + 1
      calls.set(id, count)
      entered.get(id)?.()
      const kind = (event.payload as { data?: { kind?: Kind } }).data?.kind ?? 'ok'
      if (kind === 'wait' || (kind === 'wait_once' && count === 1)) await gates.get(id)
      if (kind === 'fail_once' && count === 1) throw new Error('contract: the handler failed on purpose')
      if (kind === 'status_500_once' && count === 1) return { status: 500, body: { ok: false } }
      return { status: 200, body: { handled: id, type: event.type } }
    }
    const servers: AdapterServer[] = []
    let sw: AdapterServer
    let stripe: AdapterServer
    const serve = (hooksOptions: WebhookHandlerOptions) => {
      const hooks = createHooks(hooksOptions)
      if (!middleware) hooks.on('*', async (event) => (await route(event)).body)
      return options.start(hooks, route)
    }

    beforeAll(async () => {
      sw = await serve({ scheme: 'standard-webhooks', secret: SW_SECRET, maxBodyBytes: MiB })
      stripe = await serve({ scheme: 'stripe', secret: STRIPE_SECRET })
      servers.push(sw, stripe)
    })
    afterAll(async () => {
      for (const server of servers) await server.close()
    })

    let seq = 0
    const delivery = async (kind: Kind = 'ok', timestamp?: number) => {
      const id = `msg_${name.replace(/\W+/g, '_')}_${Date.now()}_${seq++}`
      const body = JSON.stringify({ type: 'contract.tested', data: { kind } })
      const headers = await sign({ scheme: 'standard-webhooks', secret: SW_SECRET, body, id, ...(timestamp ? { timestamp } : {}) })
      return { id, body, headers }
    }
    const send = async (d: { body: BodyInit; headers: Record<string, string> }, init: RequestInit = {}) => {
      const res = await fetch(sw.url, { method: 'POST', headers: d.headers, body: d.body, ...init })
      const text = await res.text()
      // A framework's own error page (the middleware style's thrown error) need not be JSON.
      const json: Record<string, any> = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { text }
      return { status: res.status, headers: res.headers, json }
    }
    const errorCode = (json: Record<string, any>) => json.error?.code

    it('accepts a delivery signed by sign() and hands the event to the route', async () => {
      const d = await delivery()
      const res = await send(d)
      expect(res.status).toBe(200)
      expect(res.json).toEqual({ handled: d.id, type: 'contract.tested' })
      expect(calls.get(d.id)).toBe(1)
    })

    it('accepts a delivery signed by the standardwebhooks library', async () => {
      const id = `msg_lib_${Date.now()}_${seq++}`
      const body = JSON.stringify({ type: 'contract.library', data: { kind: 'ok' } })
      const now = new Date()
      const signature = new Webhook(SW_SECRET).sign(id, now, body)
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      }
      const res = await send({ body, headers })
      expect(res.status).toBe(200)
      expect(res.json).toEqual({ handled: id, type: 'contract.library' })
    })

    it('accepts a Stripe delivery signed by the stripe library, and refuses it tampered', async () => {
      const id = `evt_${Date.now()}_${seq++}`
      const payload = JSON.stringify({ id, object: 'event', type: 'invoice.paid', data: { object: { amount_paid: 1200 } } })
      const header = new Stripe('sk_test_contract').webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET })
      const headers = { 'content-type': 'application/json', 'stripe-signature': header }
      const tampered = await fetch(stripe.url, { method: 'POST', headers, body: payload.replace('1200', '1') })
      expect(tampered.status).toBe(401)
      expect(errorCode(await tampered.json())).toBe('signature_mismatch')
      const res = await fetch(stripe.url, { method: 'POST', headers, body: payload })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ handled: id, type: 'invoice.paid' })
    })

    it('refuses a tampered body with 401 signature_mismatch and never calls the route', async () => {
      const d = await delivery()
      const res = await send({ ...d, body: d.body.replace('contract.tested', 'contract.tampered') })
      expect(res.status).toBe(401)
      expect(errorCode(res.json)).toBe('signature_mismatch')
      expect(calls.has(d.id)).toBe(false)
    })

    it('refuses an expired delivery with 401 timestamp_expired', async () => {
      const d = await delivery('ok', Math.floor(Date.now() / 1000) - 3600)
      const res = await send(d)
      expect(res.status).toBe(401)
      expect(errorCode(res.json)).toBe('timestamp_expired')
      expect(calls.has(d.id)).toBe(false)
    })

    it('acknowledges a duplicate without calling the route again', async () => {
      const d = await delivery()
      expect((await send(d)).status).toBe(200)
      const again = await send(d)
      expect(again.status).toBe(200)
      expect(again.json).toEqual({ ok: true, duplicate: true })
      expect(calls.get(d.id)).toBe(1)
    })

    it('answers 409 in_flight with Retry-After while the same delivery is being handled', async () => {
      const d = await delivery('wait')
      const gate = latch()
      const inside = latch()
      gates.set(d.id, gate.promise)
      entered.set(d.id, inside.open)
      const first = send(d)
      await inside.promise
      const second = await send(d)
      expect(second.status).toBe(409)
      expect(errorCode(second.json)).toBe('in_flight')
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0)
      gate.open()
      expect((await first).status).toBe(200)
      expect((await send(d)).json).toEqual({ ok: true, duplicate: true })
      expect(calls.get(d.id)).toBe(1)
    })

    it('releases the claim when the route throws, so the retry is processed', async () => {
      const d = await delivery('fail_once')
      const failed = await send(d)
      expect(failed.status).toBe(500)
      if (!middleware) expect(errorCode(failed.json)).toBe('handler_failed')
      const retry = await send(d)
      expect(retry.status).toBe(200)
      expect(retry.json).toEqual({ handled: d.id, type: 'contract.tested' })
      expect(calls.get(d.id)).toBe(2)
    })

    it.runIf(middleware)('releases the claim when the route answers 500, and completes it on 200', async () => {
      const d = await delivery('status_500_once')
      expect((await send(d)).status).toBe(500)
      expect((await send(d)).status).toBe(200)
      expect((await send(d)).json).toEqual({ ok: true, duplicate: true })
      expect(calls.get(d.id)).toBe(2)
    })

    it('accepts a chunked body without Content-Length', async () => {
      const d = await delivery()
      const bytes = new TextEncoder().encode(d.body)
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 10))
          controller.enqueue(bytes.subarray(10))
          controller.close()
        },
      })
      const res = await send({ body: stream, headers: d.headers }, { duplex: 'half' } as RequestInit)
      expect(res.status).toBe(200)
      expect(res.json.handled).toBe(d.id)
    })

    it('passes every content type through untouched: form-encoded, text/plain, none', async () => {
      for (const contentType of ['application/x-www-form-urlencoded', 'text/plain; charset=utf-8', undefined]) {
        const id = `msg_ct_${Date.now()}_${seq++}`
        const json = JSON.stringify({ type: 'contract.form', data: { kind: 'ok' } })
        const body = contentType?.startsWith('application/x-www-form-urlencoded') ? `payload=${encodeURIComponent(json)}` : json
        const signed = await sign({ scheme: 'standard-webhooks', secret: SW_SECRET, body, id })
        const { 'content-type': _, ...rest } = signed
        const headers = contentType ? { ...rest, 'content-type': contentType } : rest
        // A Uint8Array body makes fetch send no Content-Type of its own.
        const res = await send({ body: new TextEncoder().encode(body), headers })
        expect(res.status, String(contentType)).toBe(200)
        expect(res.json).toEqual({ handled: id, type: 'contract.form' })
      }
    })

    it('answers 405 with Allow: POST to another method', async () => {
      const res = await fetch(sw.url, { method: 'GET' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
      expect(errorCode(await res.json())).toBe('method_not_allowed')
    })

    it('refuses a declared oversized body with 413 before reading it, and closes the connection', async () => {
      const d = await delivery()
      const headers = { ...d.headers, 'content-length': String(2 * MiB) }
      const res = await post(sw.url, headers, repeat(new Uint8Array(64 * 1024).fill(32), 32))
      expect(res.status).toBe(413)
      expect(res.headers.connection).toBe('close')
      expect(errorCode(JSON.parse(res.text))).toBe('body_too_large')
    })

    it('stops a 50 MB chunked body at the limit with 413, without buffering it', async () => {
      const d = await delivery()
      const chunk = new Uint8Array(64 * 1024).fill(32)
      const before = process.memoryUsage().rss
      const res = await post(sw.url, d.headers, repeat(chunk, (50 * MiB) / chunk.byteLength))
      const grown = process.memoryUsage().rss - before
      expect(res.status).toBe(413)
      expect(res.headers.connection).toBe('close')
      expect(errorCode(JSON.parse(res.text))).toBe('body_too_large')
      // The server stopped reading: the client could not push the 50 MB through.
      expect(res.written).toBeLessThan(50 * MiB)
      expect(grown).toBeLessThan(30 * MiB)
    })

    it('survives a request aborted mid-body and processes the retry', async () => {
      const d = await delivery()
      const bytes = new TextEncoder().encode(d.body)
      const headers = { ...d.headers, 'content-length': String(bytes.byteLength + 100) }
      await post(sw.url, headers, [bytes.subarray(0, 20), bytes.subarray(20)], 1)
      const retry = await send(d)
      expect(retry.status).toBe(200)
      expect(retry.json.handled).toBe(d.id)
    })

    it.runIf(middleware)('releases the claim when the client goes away before the route answers', async () => {
      const d = await delivery('wait_once')
      const gate = latch()
      const inside = latch()
      gates.set(d.id, gate.promise)
      entered.set(d.id, inside.open)
      const abort = new AbortController()
      const first = send(d, { signal: abort.signal }).catch((error: unknown) => error)
      await inside.promise
      abort.abort()
      await first
      // The release happens on the server's 'close'; a retry may race it for a moment.
      let retry = await send(d)
      for (let i = 0; i < 80 && retry.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25))
        retry = await send(d)
      }
      gate.open()
      expect(retry.status).toBe(200)
      expect(retry.json.handled).toBe(d.id)
      expect(calls.get(d.id)).toBe(2)
    })
  })
}
