// Replay protection with delivery semantics that never lose an honest retry.
import { createWebhookHandler, memoryStore, type ReplayStore, sign, type WebhookObserverEvent } from '@hookguard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deferred, parsed, send, serve, type TestServer } from './pipeline-helpers'

const SECRET = 'whsec_replay_secret'
let seq = 0
const nextId = () => `evt_replay_${process.pid}_${++seq}`
const body = (id: string, type = 'invoice.paid') => JSON.stringify({ id, type, data: {} })
const signed = async (id = nextId()) => {
  const text = body(id)
  return { id, body: text, headers: await sign({ scheme: 'stripe', secret: SECRET, body: text }) }
}

/** A memoryStore with a clock the test moves, and a record of what the pipeline asked of it. */
function clockedStore(options: { maxEntries?: number } = {}) {
  const clock = { now: 1_000_000 }
  const store = memoryStore({ ...options, now: () => clock.now })
  const calls: string[] = []
  const spy: ReplayStore & { size: number } = {
    get size() {
      return store.size
    },
    claim: (key, leaseMs, token) => {
      const result = store.claim(key, leaseMs, token)
      calls.push(`claim ${result}`)
      return result
    },
    complete: (key, ttlMs, token) => {
      calls.push(`complete ${ttlMs}`)
      return store.complete(key, ttlMs, token)
    },
    release: (key, token) => {
      calls.push('release')
      return store.release(key, token)
    },
    observe: (listener) => store.observe?.(listener),
  }
  return { clock, store: spy, calls }
}

describe('concurrency', () => {
  it('runs the handler exactly once for 1,000 concurrent deliveries of one id (hooks.handle)', async () => {
    let runs = 0
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET })
    hooks.on('invoice.paid', async () => {
      runs++
      await new Promise((resolve) => setTimeout(resolve, 5))
    })
    const delivery = await signed()
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => hooks.handle({ method: 'POST', headers: delivery.headers, body: delivery.body })),
    )
    expect(runs).toBe(1)
    const answers = results.map((r) => `${r.status} ${r.body}`)
    expect(answers.filter((a) => a === '200 {"ok":true}')).toHaveLength(1)
    for (const answer of answers) {
      expect(['200 {"ok":true}', '200 {"ok":true,"duplicate":true}', expect.stringMatching(/^409 .*"in_flight"/)]).toContainEqual(answer)
    }
    // All arrived while the first was running: every other answer is "in flight, retry later".
    expect(answers.filter((a) => a.startsWith('409'))).toHaveLength(999)
  })

  it('runs the handler exactly once for 1,000 concurrent deliveries of one id (hooks.fetch)', async () => {
    let runs = 0
    const gate = deferred()
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET })
    hooks.on('invoice.paid', async () => {
      runs++
      await gate.promise
    })
    const delivery = await signed()
    const pending = Array.from({ length: 1000 }, () =>
      hooks.fetch(new Request('http://localhost/webhooks', { method: 'POST', headers: delivery.headers, body: delivery.body })),
    )
    // Let the first finish while the rest are still arriving: those become acknowledged duplicates.
    setTimeout(() => gate.resolve(), 5)
    const responses = await Promise.all(pending)
    expect(runs).toBe(1)
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await r.text()}`))
    expect(answers.filter((a) => a === '200 {"ok":true}')).toHaveLength(1)
    const others = answers.filter((a) => a !== '200 {"ok":true}')
    expect(others.every((a) => a === '200 {"ok":true,"duplicate":true}' || /^409 .*"in_flight"/.test(a))).toBe(true)
    expect(responses.filter((r) => r.status === 409).every((r) => r.headers.get('retry-after') === '60')).toBe(true)
  })

  describe('over a real socket', () => {
    let server: TestServer
    let runs = 0
    beforeAll(async () => {
      const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET })
      hooks.on('invoice.paid', async () => {
        runs++
        await new Promise((resolve) => setTimeout(resolve, 50))
      })
      server = await serve(hooks, 'handle')
    })
    afterAll(() => server.close())

    it('runs the handler once for 200 concurrent HTTP deliveries of one id', async () => {
      const options = { scheme: 'stripe' as const, secret: SECRET, body: body(nextId()) }
      const answers = await Promise.all(Array.from({ length: 200 }, () => send(server.url, options)))
      expect(runs).toBe(1)
      expect(answers.filter((a) => a.status === 200 && a.body.duplicate === undefined)).toHaveLength(1)
      expect(answers.every((a) => a.status === 200 || a.body.error.code === 'in_flight')).toBe(true)
    })
  })
})

describe('failures release the claim', () => {
  it('a handler that fails is retried and handled exactly once overall; the first answer was 500', async () => {
    const { store, calls } = clockedStore()
    let attempts = 0
    let handled = 0
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: store })
    hooks.on('invoice.paid', () => {
      attempts++
      if (attempts === 1) throw new Error('database down')
      handled++
    })
    const first = await signed()
    const answers: string[] = []
    answers.push((await hooks.handle({ method: 'POST', headers: first.headers, body: first.body })).body)
    // The provider's retry: a new signature and timestamp, the same event id.
    const retry = { headers: await sign({ scheme: 'stripe', secret: SECRET, body: first.body }) }
    answers.push((await hooks.handle({ method: 'POST', headers: retry.headers, body: first.body })).body)
    answers.push((await hooks.handle({ method: 'POST', headers: retry.headers, body: first.body })).body)
    expect(answers.map((a) => JSON.parse(a))).toEqual([
      { error: { code: 'handler_failed', message: expect.any(String) } },
      { ok: true },
      { ok: true, duplicate: true },
    ])
    expect(attempts).toBe(2)
    expect(handled).toBe(1)
    expect(calls).toEqual(['claim claimed', 'release', 'claim claimed', 'complete 660000', 'claim duplicate'])
  })

  it('a reply that cannot be serialised is a failure, and the retry is processed', async () => {
    let runs = 0
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET })
    hooks.on('invoice.paid', () => (++runs === 1 ? { amount: 10n } : { ok: 'second' }))
    const delivery = await signed()
    const first = parsed(await hooks.handle({ method: 'POST', headers: delivery.headers, body: delivery.body }))
    expect(first.status).toBe(500)
    expect(first.json.error.code).toBe('handler_failed')
    const second = parsed(await hooks.handle({ method: 'POST', headers: delivery.headers, body: delivery.body }))
    expect(second.json).toEqual({ ok: 'second' })
  })

  it('a store that fails to complete or release does not change the answer, and says so', async () => {
    const events: WebhookObserverEvent[] = []
    const inner = memoryStore()
    const flaky: ReplayStore = {
      claim: (key, lease, token) => inner.claim(key, lease, token),
      complete: () => Promise.reject(new Error('complete failed')),
      release: () => Promise.reject(new Error('release failed')),
    }
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: flaky, onEvent: (e) => events.push(e) })
    hooks.on('invoice.paid', (e) => {
      if ((e.payload as { fail?: boolean }).fail) throw new Error('boom')
    })
    const ok = await signed()
    expect((await hooks.handle({ method: 'POST', headers: ok.headers, body: ok.body })).status).toBe(200)
    const text = JSON.stringify({ id: nextId(), type: 'invoice.paid', fail: true })
    const failing = await sign({ scheme: 'stripe', secret: SECRET, body: text })
    expect((await hooks.handle({ method: 'POST', headers: failing, body: text })).status).toBe(500)
    expect(events.filter((e) => e.kind === 'store_error').map((e) => e.kind === 'store_error' && e.operation)).toEqual([
      'complete',
      'release',
    ])
  })
})

describe('leases', () => {
  it('takes over a claim whose process died (receive() and never settle) once leaseMs has passed', async () => {
    const { clock, store } = clockedStore()
    let handled = 0
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: store, leaseMs: 30_000 })
    hooks.on('invoice.paid', () => void handled++)
    const delivery = await signed()
    const request = () => ({ method: 'POST', headers: delivery.headers, body: delivery.body })
    const dead = await hooks.receive(request())
    expect(dead.accepted).toBe(true)
    // The owner "died": it never settles. Until the lease lapses, retries hear "in flight".
    clock.now += 29_999
    const early = parsed(await hooks.handle(request()))
    expect(early.status).toBe(409)
    expect(early.json.error.code).toBe('in_flight')
    expect(early.headers['retry-after']).toBe('30')
    clock.now += 2
    const taken = parsed(await hooks.handle(request()))
    expect(taken.json).toEqual({ ok: true })
    expect(handled).toBe(1)
    // A late settle from the dead owner changes nothing: the delivery stays handled.
    if (dead.accepted) await dead.settle(new Error('woke up and failed'))
    expect(parsed(await hooks.handle(request())).json).toEqual({ ok: true, duplicate: true })
  })

  it("never lets a slow owner's failure release the claim of the retry that took over", async () => {
    const { clock, store } = clockedStore()
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: store, leaseMs: 1000 })
    hooks.on('invoice.paid', () => {})
    const delivery = await signed()
    const request = () => ({ method: 'POST', headers: delivery.headers, body: delivery.body })
    const slow = await hooks.receive(request())
    clock.now += 1001
    const retry = await hooks.receive(request())
    expect(retry.accepted).toBe(true)
    if (slow.accepted) await slow.settle(500) // releases nothing: the key is the retry's now
    expect(parsed(await hooks.handle(request())).json.error.code).toBe('in_flight')
    if (retry.accepted) await retry.settle(200)
    expect(parsed(await hooks.handle(request())).json).toEqual({ ok: true, duplicate: true })
  })
})

describe('retention', () => {
  it('keeps a completed id for 2×tolerance + 60 s with timestamps, retentionSeconds without', async () => {
    const stripeStore = clockedStore()
    const stripe = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: stripeStore.store, toleranceSeconds: 120 })
    stripe.on('*', () => {})
    const delivery = await signed()
    await stripe.handle({ method: 'POST', headers: delivery.headers, body: delivery.body })
    expect(stripeStore.calls).toContain(`complete ${(2 * 120 + 60) * 1000}`)

    for (const [retentionSeconds, expected] of [
      [undefined, 86_400_000],
      [3600, 3_600_000],
    ] as const) {
      const githubStore = clockedStore()
      const github = createWebhookHandler({ scheme: 'github', secret: 'gh', replay: githubStore.store, retentionSeconds })
      github.on('*', () => {})
      const text = JSON.stringify({ action: 'opened' })
      const headers = await sign({ scheme: 'github', secret: 'gh', body: text, type: 'issues' })
      expect((await github.handle({ method: 'POST', headers, body: text })).status).toBe(200)
      expect(githubStore.calls).toContain(`complete ${expected}`)
    }
  })

  it('replay: false turns replay protection off', async () => {
    let runs = 0
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: false })
    hooks.on('*', () => void runs++)
    const delivery = await signed()
    await hooks.handle({ method: 'POST', headers: delivery.headers, body: delivery.body })
    await hooks.handle({ method: 'POST', headers: delivery.headers, body: delivery.body })
    expect(runs).toBe(2)
  })
})

describe('eviction', () => {
  it('reports a live record dropped for maxEntries through onEvent, and the replay is then processed', async () => {
    const events: WebhookObserverEvent[] = []
    const { store } = clockedStore({ maxEntries: 2 })
    let runs = 0
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: store, onEvent: (e) => events.push(e) })
    hooks.on('*', () => void runs++)
    const deliveries = [await signed(), await signed(), await signed()]
    for (const d of deliveries) await hooks.handle({ method: 'POST', headers: d.headers, body: d.body })
    const opened = events.filter((e) => e.kind === 'replay_window_opened')
    expect(opened).toEqual([
      { kind: 'replay_window_opened', key: `stripe:${deliveries[0]?.id}`, remainingMs: 660_000, reason: 'max_entries' },
    ])
    expect(store.size).toBe(2)
    const first = deliveries[0] as { headers: Record<string, string>; body: string }
    expect(parsed(await hooks.handle({ method: 'POST', headers: first.headers, body: first.body })).json).toEqual({ ok: true })
    expect(runs).toBe(4)
  })
})

describe('memoryStore at capacity', () => {
  // Regression: records were kept in the Map's own order and the oldest found by walking the Map
  // from its head, which skips every deleted slot there: once full, each claim cost ~100 µs.
  it('evicts oldest-first under churn without walking the Map per operation', () => {
    let time = 0
    const store = memoryStore({ maxEntries: 100, now: () => time })
    const opened: string[] = []
    store.observe?.((e) => opened.push(e.key))
    const walks = { count: 0 }
    const proto = Map.prototype as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>
    const originals = { keys: proto.keys, entries: proto.entries, iterator: proto[Symbol.iterator] }
    const count = (fn: (...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        walks.count++
        return fn.apply(this, args)
      }
    proto.keys = count(originals.keys as (...args: unknown[]) => unknown)
    proto.entries = count(originals.entries as (...args: unknown[]) => unknown)
    proto[Symbol.iterator] = count(originals.iterator as (...args: unknown[]) => unknown)
    try {
      for (let i = 0; i < 5000; i++) {
        time++
        expect(store.claim(`k${i}`, 1000, `t${i}`)).toBe('claimed')
        if (i % 10 === 9) store.release(`k${i}`, `t${i}`)
        else store.complete(`k${i}`, 1_000_000, `t${i}`)
      }
    } finally {
      proto.keys = originals.keys as (...args: unknown[]) => unknown
      proto.entries = originals.entries as (...args: unknown[]) => unknown
      proto[Symbol.iterator] = originals.iterator as (...args: unknown[]) => unknown
    }
    expect(walks.count).toBeLessThan(5)
    expect(store.size).toBeLessThanOrEqual(100)
    expect(store.size).toBeGreaterThanOrEqual(99)
    const completed = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 10 !== 9)
    // Every completed record the store no longer holds was dropped oldest first, and reported once.
    const dropped = opened.map((key) => Number(key.slice(1)))
    expect(dropped).toEqual([...dropped].sort((a, b) => a - b))
    expect(new Set(dropped).size).toBe(dropped.length)
    expect(dropped.every((i) => i % 10 !== 9)).toBe(true)
    expect(dropped.length).toBe(completed.length - store.size)
    expect(dropped).toEqual(completed.slice(0, dropped.length))
    expect(store.claim(`k${completed.at(-1)}`, 1000, 'x')).toBe('duplicate')
    expect(store.claim(`k${completed[0]}`, 1000, 'x')).toBe('claimed')
  })

  it('sweeps expired records (silently) before they need evicting', () => {
    let time = 0
    const store = memoryStore({ maxEntries: 1000, now: () => time })
    const opened: string[] = []
    store.observe?.((e) => opened.push(e.key))
    for (let i = 0; i < 10_000; i++) {
      time += 10
      store.claim(`k${i}`, 50, `t${i}`)
      store.complete(`k${i}`, 100, `t${i}`)
    }
    expect(opened).toEqual([])
    expect(store.size).toBeLessThanOrEqual(12)
  })
})
