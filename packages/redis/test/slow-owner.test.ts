import { createServer, type Server } from 'node:http'
import { createWebhookHandler, type ReplayStore, sign } from '@hookguard/core'
import { redisStore } from '@hookguard/redis'
import { REDIS_URL, requireService } from '@hookguard/testkit'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, deleteKeys, SECRET, sleep, uniquePrefix } from './helpers'

const available = await requireService('Redis', REDIS_URL)

/** A gate a handler waits at until the test opens it (succeed) or breaks it (fail). */
function gate() {
  let open!: () => void
  let fail!: (error: Error) => void
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  return { promise, open, fail }
}

describe.skipIf(!available)('slow owner, through the whole pipeline (two receivers, one Redis)', () => {
  const prefix = uniquePrefix('slow')
  const gates = new Map<string, ReturnType<typeof gate>>()
  const ran: string[] = []
  const servers: Server[] = []
  const urls: Record<'slow' | 'fresh', string> = { slow: '', fresh: '' }
  let admin: Redis
  let io: Redis
  let closeNodeClient: () => Promise<void>

  async function receiver(name: 'slow' | 'fresh', store: ReplayStore, leaseMs: number) {
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, leaseMs, replay: store })
    hooks.on('*', async (event) => {
      const label = `${name}:${(event.payload as { data: { gate: string } }).data.gate}`
      ran.push(label)
      await gates.get(label)?.promise
      return { by: name }
    })
    const server = createServer(async (req, res) => {
      const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
      res.writeHead(result.status, result.headers).end(result.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    urls[name] = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  }

  async function send(to: 'slow' | 'fresh', id: string, gateName: string) {
    const body = JSON.stringify({ type: 'order.paid', data: { gate: gateName } })
    const response = await fetch(urls[to], {
      method: 'POST',
      headers: await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id }),
      body,
    })
    return { status: response.status, body: await response.json() }
  }

  beforeAll(async () => {
    admin = adminClient()
    io = new Redis(REDIS_URL)
    const nodeClient = await createClient({ url: REDIS_URL }).connect()
    closeNodeClient = () => nodeClient.close()
    // The slow receiver's lease (200 ms) is shorter than its handler; the fresh one's is ample.
    await receiver('slow', redisStore({ client: io, prefix }), 200)
    await receiver('fresh', redisStore({ client: nodeClient, prefix }), 30_000)
  })
  afterAll(async () => {
    for (const server of servers) server.close()
    await deleteKeys(admin, prefix)
    await Promise.all([admin.quit(), io.quit(), closeNodeClient()])
  })

  it('a late success of the slow owner does not complete the new owner’s claim', async () => {
    const id = 'msg_slow_complete'
    for (const name of ['slow:1', 'fresh:1']) gates.set(name, gate())
    const slow = send('slow', id, '1')
    // Wait for the slow owner's handler to be running (a loaded machine may take a while to get
    // there), then for its 200 ms lease to lapse.
    while (!ran.includes('slow:1')) await sleep(10)
    await sleep(400) // the slow owner's lease lapses while its handler still runs
    const fresh = send('fresh', id, '1') // the provider's retry: claimed again
    while (!ran.includes('fresh:1')) await sleep(10)

    gates.get('slow:1')?.open()
    expect(await slow).toEqual({ status: 200, body: { by: 'slow' } })
    // Had the slow owner's completion landed, this would be an acknowledged duplicate, and a
    // failure of the new owner could no longer hand the delivery back for a retry.
    expect(await send('slow', id, 'x')).toMatchObject({ status: 409, body: { error: { code: 'in_flight' } } })

    gates.get('fresh:1')?.fail(new Error('downstream down'))
    expect((await fresh).status).toBe(500)
    expect(await send('slow', id, '2')).toEqual({ status: 200, body: { by: 'slow' } })
    expect(await send('fresh', id, 'x')).toEqual({ status: 200, body: { ok: true, duplicate: true } })
    expect(ran.filter((label) => label.endsWith(':x'))).toEqual([])
  })

  it('a late failure of the slow owner does not release the new owner’s claim (no third run)', async () => {
    const id = 'msg_slow_release'
    for (const name of ['slow:3', 'fresh:3']) gates.set(name, gate())
    const slow = send('slow', id, '3')
    // Wait for the slow owner's handler to be running (a loaded machine may take a while to get
    // there), then for its 200 ms lease to lapse.
    while (!ran.includes('slow:3')) await sleep(10)
    await sleep(400)
    const fresh = send('fresh', id, '3')
    while (!ran.includes('fresh:3')) await sleep(10)

    gates.get('slow:3')?.fail(new Error('timeout talking to the ERP'))
    expect((await slow).status).toBe(500)
    // Had the slow owner's release landed, this retry would run the handler a third time while
    // the new owner is still at work.
    expect(await send('slow', id, 'y')).toMatchObject({ status: 409, body: { error: { code: 'in_flight' } } })

    gates.get('fresh:3')?.open()
    expect(await fresh).toEqual({ status: 200, body: { by: 'fresh' } })
    expect(await send('slow', id, 'y')).toEqual({ status: 200, body: { ok: true, duplicate: true } })
    expect(ran.filter((label) => label.endsWith(':y'))).toEqual([])
  })
})
