import { createWebhookHandler, memoryStore, sign, type WebhookHandler } from '@hookguard/core'
import { createInbox, type Inbox, type InboxObserverEvent, type InboxStore } from '@hookguard/inbox'
import { DATABASE_URL, requireService } from '@hookguard/testkit'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { deliver, postgresKind, SECRET, type StoreKind, serve, sleep, sqliteKind, waitFor } from './helpers'

const pgUp = await requireService('PostgreSQL', DATABASE_URL)

let seq = 0
const nextId = (label: string) => `msg_${label}_${process.pid}_${seq++}`

describe.each([
  { kind: sqliteKind, skip: false },
  { kind: postgresKind, skip: !pgUp },
] as Array<{ kind: StoreKind; skip: boolean }>)('inbox on $kind.name', ({ kind, skip }) => {
  let store: InboxStore
  let destroy: () => Promise<void>
  beforeAll(async () => {
    if (skip) return
    ;({ store, destroy } = await kind.create())
  })
  afterAll(async () => {
    await destroy?.()
  })

  const setup = async (options: Partial<Parameters<typeof createInbox>[0]> = {}) => {
    const events: InboxObserverEvent[] = []
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
    const inbox = createInbox({ store, handlers: hooks, onEvent: (e) => events.push(e), ...options })
    const server = await serve(inbox)
    const cleanup = async () => {
      await inbox.stop({ deadlineMs: 2_000 })
      await server.close()
    }
    return { inbox, url: server.url, events, cleanup }
  }

  it.skipIf(skip)('answers 202 only once the delivery is stored, 200 duplicate for a repeat, and refuses forgeries', async () => {
    const { inbox, url, events, cleanup } = await setup()
    try {
      const id = nextId('ack')
      const first = await deliver(url, id, 'invoice.paid', { amount: 42 })
      expect(first).toEqual({ status: 202, body: { accepted: true } })
      // No worker runs here: the 202 means the row is already there.
      const stored = await store.get(`standard-webhooks:${id}`)
      expect(stored).toMatchObject({ status: 'pending', type: 'invoice.paid', eventId: id, attempts: 0 })
      expect(JSON.parse(new TextDecoder().decode(stored?.body))).toEqual({ type: 'invoice.paid', data: { amount: 42 } })
      expect(stored?.headers['content-type']).toMatch(/json/)
      expect(stored?.headers['webhook-id']).toBe(id)
      expect(Object.keys(stored?.headers ?? {}).some((h) => h.includes('signature'))).toBe(false)

      expect(await deliver(url, id, 'invoice.paid', { amount: 42 })).toEqual({ status: 200, body: { ok: true, duplicate: true } })
      const forged = await deliver(url, nextId('forged'), 'invoice.paid', {}, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      expect(forged.status).toBe(401)
      expect(await fetch(url, { method: 'GET' }).then((r) => r.status)).toBe(405)
      expect(events.filter((e) => e.kind === 'enqueue')).toHaveLength(1)
      expect(events.filter((e) => e.kind === 'duplicate')).toHaveLength(1)
      expect(await inbox.drain()).toBeGreaterThanOrEqual(1)
    } finally {
      await cleanup()
    }
  })

  it.skipIf(skip)('workers run the matching handlers with the delivery id and attempt, then mark the delivery done', async () => {
    const { inbox, url, events, cleanup } = await setup()
    const seen: Array<{ deliveryId: string; attempt: number; id: string | undefined; payload: unknown; order: string }> = []
    inbox.on('*', (e) => void seen.push({ deliveryId: e.deliveryId, attempt: e.attempt, id: e.id, payload: e.payload, order: '*' }))
    inbox.on(
      'order.created',
      (e) => void seen.push({ deliveryId: e.deliveryId, attempt: e.attempt, id: e.id, payload: e.payload, order: 'exact' }),
    )
    inbox.on(
      'order.*',
      (e) => void seen.push({ deliveryId: e.deliveryId, attempt: e.attempt, id: e.id, payload: e.payload, order: 'order.*' }),
    )
    try {
      inbox.start({ concurrency: 2, pollIntervalMs: 50 })
      const id = nextId('work')
      expect((await deliver(url, id, 'order.created', { n: 1 })).status).toBe(202)
      await waitFor(async () => (await store.get(`standard-webhooks:${id}`))?.status === 'done', 'the delivery to be done')
      expect(seen.map((s) => s.order)).toEqual(['exact', 'order.*', '*'])
      expect(seen[0]).toEqual({
        deliveryId: `standard-webhooks:${id}`,
        attempt: 1,
        id,
        payload: { type: 'order.created', data: { n: 1 } },
        order: 'exact',
      })
      expect(events.map((e) => e.kind).filter((k) => k !== 'duplicate')).toEqual(['enqueue', 'attempt', 'success'])
    } finally {
      await cleanup()
    }
  })

  it.skipIf(skip)('keeps answering 202 during an outage of the app’s dependency; deliveries back off, then succeed', async () => {
    let down = true
    const { inbox, url, events, cleanup } = await setup({ backoff: { baseMs: 40, maxMs: 200 }, maxAttempts: 50 })
    const done = new Map<string, number>()
    inbox.on('payment.*', async (e) => {
      if (down) throw new Error('ECONNREFUSED 10.0.0.7:5432 (the app database)')
      done.set(e.deliveryId, e.attempt)
    })
    try {
      const before = await inbox.stats()
      inbox.start({ concurrency: 4, pollIntervalMs: 20 })
      const statuses: number[] = []
      const ids: string[] = []
      for (let i = 0; i < 12; i++) {
        const id = nextId('outage')
        ids.push(`standard-webhooks:${id}`)
        statuses.push((await deliver(url, id, 'payment.failed', { i })).status)
      }
      await waitFor(() => events.filter((e) => e.kind === 'retry').length >= 24, 'two failed rounds')
      // Still down, still accepting: the provider never sees the outage.
      for (let i = 0; i < 4; i++) {
        const id = nextId('outage')
        ids.push(`standard-webhooks:${id}`)
        statuses.push((await deliver(url, id, 'payment.failed', { i })).status)
      }
      expect(statuses).toEqual(Array(16).fill(202))
      const stats = await inbox.stats()
      expect(stats.failed + stats.running + stats.pending).toBeGreaterThan(0)
      expect(stats.done).toBe(before.done)
      down = false
      await waitFor(() => done.size === 16, 'every delivery to succeed after the outage')
      expect([...done.keys()].sort()).toEqual([...ids].sort())
      expect(Math.max(...done.values())).toBeGreaterThanOrEqual(3)
      const retries = events.filter((e) => e.kind === 'retry') as Array<Extract<InboxObserverEvent, { kind: 'retry' }>>
      expect(retries.every((r) => String(r.error).includes('ECONNREFUSED'))).toBe(true)
      expect(events.some((e) => e.kind === 'dead')).toBe(false)
      await waitFor(async () => (await inbox.stats()).done === before.done + 16, 'the rows to be marked done')
    } finally {
      await cleanup()
    }
  })

  it.skipIf(skip)('dead-letters a poison message after maxAttempts with its last error, and retry() revives it', async () => {
    let poisoned = true
    const { inbox, url, events, cleanup } = await setup({ maxAttempts: 3, retryDelay: () => 5 })
    let runs = 0
    inbox.on('poison.pill', async (e) => {
      runs++
      if (poisoned) throw new TypeError(`cannot read properties of undefined (attempt ${e.attempt})`)
    })
    try {
      const id = nextId('poison')
      const key = `standard-webhooks:${id}`
      expect((await deliver(url, id, 'poison.pill')).status).toBe(202)
      inbox.start({ concurrency: 1, pollIntervalMs: 10 })
      await waitFor(async () => (await store.get(key))?.status === 'dead', 'the dead letter')
      expect(runs).toBe(3)
      expect(await store.get(key)).toMatchObject({
        status: 'dead',
        attempts: 3,
        lastError: 'TypeError: cannot read properties of undefined (attempt 3)',
      })
      expect((await inbox.stats()).dead).toBeGreaterThanOrEqual(1)
      expect(events.filter((e) => e.kind === 'retry').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2])
      expect(events.filter((e) => e.kind === 'dead')).toMatchObject([{ id: key, attempt: 3 }])
      await sleep(50)
      expect(runs).toBe(3)
      poisoned = false
      expect(await inbox.retry({ id: key })).toBe(1)
      await waitFor(async () => (await store.get(key))?.status === 'done', 'the revived delivery')
      expect(runs).toBe(4)
    } finally {
      await cleanup()
    }
  })

  it.skipIf(skip)('takes over a delivery whose worker died once its lease ends', async () => {
    const { inbox, url, cleanup } = await setup({ leaseMs: 300 })
    const attempts: number[] = []
    inbox.on('crash.test', (e) => void attempts.push(e.attempt))
    try {
      const id = nextId('lease')
      expect((await deliver(url, id, 'crash.test')).status).toBe(202)
      // A worker that claims and then vanishes (no settle, no heartbeat).
      const [orphan] = await store.claim(100, 300, Date.now())
      expect(orphan?.id).toBe(`standard-webhooks:${id}`)
      inbox.start({ concurrency: 1, pollIntervalMs: 20 })
      await waitFor(() => attempts.length === 1, 'the takeover')
      expect(attempts).toEqual([2])
      await waitFor(async () => (await store.get(orphan?.id as string))?.status === 'done', 'done')
      expect(await store.complete(orphan?.id as string, orphan?.token as string, Date.now())).toBe(false)
    } finally {
      await cleanup()
    }
  })

  it.skipIf(skip)('a long handler keeps its lease with heartbeats (no second run)', async () => {
    const { inbox, url, cleanup } = await setup({ leaseMs: 150 })
    let runs = 0
    inbox.on('slow.job', async () => {
      runs++
      await sleep(600)
    })
    const other = createInbox({
      store,
      handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }),
      leaseMs: 150,
    })
    other.on('slow.job', async () => {
      runs++
    })
    try {
      const id = nextId('slow')
      expect((await deliver(url, id, 'slow.job')).status).toBe(202)
      inbox.start({ concurrency: 1, pollIntervalMs: 10 })
      await waitFor(() => runs === 1, 'the first run')
      other.start({ concurrency: 1, pollIntervalMs: 10 })
      await waitFor(async () => (await store.get(`standard-webhooks:${id}`))?.status === 'done', 'done')
      expect(runs).toBe(1)
    } finally {
      await other.stop()
      await cleanup()
    }
  })

  it.skipIf(skip)('stop() finishes running handlers within the deadline and hands back the ones that overrun', async () => {
    const { inbox, url, cleanup } = await setup()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const started: string[] = []
    inbox.on('quick.job', async (e) => {
      started.push(e.deliveryId)
      await sleep(50)
    })
    inbox.on('stuck.job', async (e) => {
      started.push(e.deliveryId)
      await gate
    })
    try {
      const quick = `standard-webhooks:${nextId('quick')}`
      const stuck = `standard-webhooks:${nextId('stuck')}`
      expect((await deliver(url, quick.split(':')[1] as string, 'quick.job')).status).toBe(202)
      expect((await deliver(url, stuck.split(':')[1] as string, 'stuck.job')).status).toBe(202)
      inbox.start({ concurrency: 2, pollIntervalMs: 10 })
      await waitFor(() => started.length === 2, 'both handlers to start')
      expect(await inbox.stop({ deadlineMs: 300 })).toEqual({ finished: 1, released: 1 })
      expect((await store.get(quick))?.status).toBe('done')
      expect(await store.get(stuck)).toMatchObject({ status: 'pending', attempts: 0 })
      // Stopped means stopped: a new delivery is accepted but not claimed by this process.
      const later = nextId('later')
      expect((await deliver(url, later, 'quick.job')).status).toBe(202)
      await sleep(100)
      expect((await store.get(`standard-webhooks:${later}`))?.status).toBe('pending')
      release()
      await inbox.drain()
    } finally {
      release()
      await cleanup()
    }
  })
})

describe('inbox intake and core’s replay claim', () => {
  it('answers 503 and stores nothing when the write fails; core’s claim is released so the retry is taken', async () => {
    const { store, destroy } = await sqliteKind.create()
    let failNext = true
    // A fault a real database will not produce on demand: one failed write.
    const flaky: InboxStore = {
      ...store,
      enqueue: async (d, now) => {
        if (failNext) {
          failNext = false
          throw new Error('SQLITE_FULL: database or disk is full')
        }
        return store.enqueue(d, now)
      },
    }
    const events: InboxObserverEvent[] = []
    // With a replay store configured, the inbox settles core's claim right after the write.
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: memoryStore() })
    const inbox = createInbox({ store: flaky, handlers: hooks, onEvent: (e) => events.push(e) })
    const server = await serve(inbox)
    try {
      const id = nextId('flaky')
      const failed = await deliver(server.url, id, 'x.y')
      expect(failed).toEqual({
        status: 503,
        body: { error: { code: 'store_unavailable', message: expect.stringContaining('retry later') } },
      })
      expect(JSON.stringify(failed)).not.toContain('SQLITE_FULL')
      expect(await store.get(`standard-webhooks:${id}`)).toBeUndefined()
      expect(events[0]).toMatchObject({ kind: 'store_error', operation: 'enqueue' })
      expect((await deliver(server.url, id, 'x.y')).status).toBe(202)
      // Core's claim was completed after the durable write: the repeat stops at core.
      expect(await deliver(server.url, id, 'x.y')).toEqual({ status: 200, body: { ok: true, duplicate: true } })
      expect((await store.stats(Date.now())).pending).toBe(1)
    } finally {
      await server.close()
      await destroy()
    }
  })

  it('keeps answering HTTP while workers drain a large SQLite backlog (the worker loop yields to the event loop)', async () => {
    const { store, destroy } = await sqliteKind.create()
    const backlog = 3_000
    const t = Date.now()
    const body = new TextEncoder().encode('{"type":"bulk.item"}')
    await Promise.all(
      Array.from({ length: backlog }, (_, i) =>
        store.enqueue(
          {
            id: `bulk:${i}`,
            scheme: 'bulk',
            type: 'bulk.item',
            eventId: String(i),
            timestamp: undefined,
            headers: { 'content-type': 'application/json' },
            body,
            receivedAt: t,
          },
          t,
        ),
      ),
    )
    let successes = 0
    let successesWhenAccepted = -1
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
    const inbox = createInbox({
      store,
      handlers: hooks,
      onEvent: (e) => {
        if (e.kind === 'success') successes++
        if (e.kind === 'enqueue') successesWhenAccepted = successes
      },
    })
    inbox.on('*', () => {})
    const server = await serve(inbox)
    try {
      inbox.start({ concurrency: 8, pollIntervalMs: 10 })
      await waitFor(() => successes > 0, 'the drain to start')
      expect((await deliver(server.url, nextId('during'), 'live.event')).status).toBe(202)
      // Accepted while the backlog was still being worked through, not after it.
      expect(successesWhenAccepted).toBeGreaterThan(0)
      expect(successesWhenAccepted).toBeLessThan(backlog)
      await waitFor(async () => (await store.stats(Date.now())).done === backlog + 1, 'the backlog to drain')
    } finally {
      await inbox.stop()
      await server.close()
      await destroy()
    }
  })

  it('workers survive a failing store: the claim error is observed and work resumes when it recovers', async () => {
    const { store, destroy } = await sqliteKind.create()
    let outage = 3
    // A database that refuses the first claims (a fault a real one will not produce on demand).
    const flaky: InboxStore = {
      ...store,
      claim: async (limit, leaseMs, now) => {
        if (outage-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
        return store.claim(limit, leaseMs, now)
      },
    }
    const events: InboxObserverEvent[] = []
    const inbox = createInbox({
      store: flaky,
      handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }),
      onEvent: (e) => events.push(e),
    })
    const handled: string[] = []
    inbox.on('*', (e) => void handled.push(e.deliveryId))
    const server = await serve(inbox)
    try {
      const id = nextId('flaky-claim')
      expect((await deliver(server.url, id, 'a.b')).status).toBe(202)
      inbox.start({ concurrency: 1, pollIntervalMs: 10 })
      await waitFor(() => handled.length === 1, 'the delivery after the outage')
      expect(handled).toEqual([`standard-webhooks:${id}`])
      expect(events.filter((e) => e.kind === 'store_error' && e.operation === 'claim')).toHaveLength(3)
    } finally {
      await inbox.stop()
      await server.close()
      await destroy()
    }
  })

  it('mounts on WHATWG fetch like hooks.fetch, and refuses a body that was already read', async () => {
    const { store, destroy } = await sqliteKind.create()
    const inbox = createInbox({ store, handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }) })
    try {
      const body = JSON.stringify({ type: 'a.b' })
      const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id: nextId('fetch') })
      const response = await inbox.fetch(new Request('http://x/hooks', { method: 'POST', headers, body }))
      expect(response.status).toBe(202)
      expect(await response.json()).toEqual({ accepted: true })
      // The middleware entry answers for itself: the result to send, never an event for the route.
      const id = nextId('receive')
      const receiptHeaders = await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id })
      const receipt = await inbox.receive({ method: 'POST', headers: receiptHeaders, body })
      expect(receipt).toMatchObject({ accepted: false, result: { status: 202, body: '{"accepted":true}' } })
      expect((await store.get(`standard-webhooks:${id}`))?.status).toBe('pending')
      const used = new Request('http://x/hooks', { method: 'POST', headers, body })
      await used.text()
      const refused = await inbox.fetch(used)
      expect(refused.status).toBe(500)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('raw_body_unavailable')
    } finally {
      await destroy()
    }
  })

  it('completes unhandled types by default, dead-letters them with onUnhandled: dead', async () => {
    const { store, destroy } = await sqliteKind.create()
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
    const events: InboxObserverEvent[] = []
    const lenient = createInbox({ store, handlers: hooks, onEvent: (e) => events.push(e) })
    const strict = createInbox({ store, handlers: hooks, onUnhandled: 'dead', maxAttempts: 1 })
    const server = await serve(lenient)
    try {
      const a = nextId('unhandled')
      await deliver(server.url, a, 'nobody.listens')
      await lenient.drain()
      expect((await store.get(`standard-webhooks:${a}`))?.status).toBe('done')
      expect(events.at(-1)).toMatchObject({ kind: 'unhandled', type: 'nobody.listens' })
      const b = nextId('unhandled')
      await deliver(server.url, b, 'nobody.listens')
      await strict.drain()
      expect(await store.get(`standard-webhooks:${b}`)).toMatchObject({
        status: 'dead',
        lastError: 'Error: no handler is registered for nobody.listens',
      })
    } finally {
      await server.close()
      await destroy()
    }
  })

  it('refuses bad options with a TypeError', async () => {
    const { store, destroy } = await sqliteKind.create()
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
    expect(() => createInbox({ store: {} as InboxStore, handlers: hooks })).toThrow(TypeError)
    expect(() => createInbox({ store, handlers: {} as typeof hooks })).toThrow(TypeError)
    expect(() => createInbox({ store, handlers: hooks, maxAttempts: 0 })).toThrow(/maxAttempts/)
    const inbox = createInbox({ store, handlers: hooks })
    expect(() => inbox.on('', () => {})).toThrow(TypeError)
    expect(() => inbox.start({ concurrency: 0 })).toThrow(/concurrency/)
    await destroy()
  })

  it('types handlers from the core handler’s event map', () => {
    type Events = { 'invoice.paid': { amount: number }; 'invoice.voided': { reason: string }; 'customer.created': { email: string } }
    type On = Inbox<Events>['on']
    expectTypeOf<On>()
      .parameter(0)
      .toEqualTypeOf<'invoice.paid' | 'invoice.voided' | 'customer.created' | 'invoice.*' | 'customer.*' | '*'>()
    // Checked by tsc (pnpm typecheck); never called.
    const typed = (inbox: Inbox<Events>) => {
      inbox.on('invoice.paid', (e) => {
        expectTypeOf(e.payload).toEqualTypeOf<{ amount: number }>()
        expectTypeOf(e.deliveryId).toEqualTypeOf<string>()
        expectTypeOf(e.attempt).toEqualTypeOf<number>()
      })
      inbox.on('invoice.*', (e) => expectTypeOf(e.type).toEqualTypeOf<'invoice.paid' | 'invoice.voided'>())
      // @ts-expect-error not an event type of the map
      inbox.on('invoice.refunded', () => {})
    }
    expect(typeof typed).toBe('function')
    // Adapters take a core handler; the inbox fits where they expect one.
    expectTypeOf<Inbox<Events>>().toExtend<WebhookHandler<Events>>()
  })
})
