// The inbox runs core's handlers (registered with hooks.on) through hooks.dispatch, rebuilds events
// with hooks.parse (schemas re-applied) and keys deliveries with core's receipt.key.
import { createWebhookHandler, type StandardSchemaV1, sign, type WebhookHandler } from '@hookguard/core'
import { createInbox, type Inbox, type InboxStore } from '@hookguard/inbox'
import { DATABASE_URL, requireService } from '@hookguard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, postgresKind, SECRET, type StoreKind, serve, sqliteKind } from './helpers'

const pgUp = await requireService('PostgreSQL', DATABASE_URL)
const SLACK_SECRET = 'slack_inbox_secret'
const FORM = 'application/x-www-form-urlencoded'
const nowSeconds = () => Math.floor(Date.now() / 1000)
let seq = 0
const nextId = (label: string) => `msg_${label}_${process.pid}_${seq++}`

// A transforming Standard Schema (what zod's .transform() is): a worker's handler must get the
// output, not the JSON that was stored. Written out to keep zod out of this package's dependencies.
const orderPaid: StandardSchemaV1<unknown, { amount: number; currency: string }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate(value) {
      const cents = (value as { data?: { cents?: unknown } })?.data?.cents
      if (typeof cents !== 'number') return { issues: [{ message: 'a number', path: ['data', 'cents'] }] }
      return { value: { amount: cents / 100, currency: 'EUR' } }
    },
  },
}

describe.each([
  { kind: sqliteKind, skip: false },
  { kind: postgresKind, skip: !pgUp },
] as Array<{ kind: StoreKind; skip: boolean }>)('inbox workers run core’s handlers on $kind.name', ({ kind, skip }) => {
  let store: InboxStore
  let destroy: () => Promise<void>
  const opened: Array<() => Promise<void>> = []
  beforeAll(async () => {
    if (skip) return
    ;({ store, destroy } = await kind.create())
  })
  afterAll(async () => {
    for (const close of opened) await close()
    await destroy?.()
  })

  async function setup<TEvents extends Record<string, unknown>>(
    hooks: WebhookHandler<TEvents>,
  ): Promise<{ inbox: Inbox<TEvents>; url: string }> {
    const inbox = createInbox({ store, handlers: hooks })
    const server = await serve(inbox)
    opened.push(server.close)
    return { inbox, url: server.url }
  }

  it.skipIf(skip)(
    "runs hooks.on() handlers in core's order, with deliveryId and attempt; inbox.on() registers in the same router",
    async () => {
      const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
      const { inbox, url } = await setup(hooks)
      const seen: Array<[string, unknown, number]> = []
      hooks.on('*', (e) => void seen.push(['*', (e as { deliveryId?: string }).deliveryId, e.attempt]))
      inbox.on('order.*', (e) => void seen.push(['order.*', e.deliveryId, e.attempt]))
      hooks.on('order.created', (e) => void seen.push(['exact', (e as { deliveryId?: string }).deliveryId, e.attempt]))
      const id = nextId('order')
      expect((await deliver(url, id, 'order.created', { n: 1 })).status).toBe(202)
      expect(seen).toEqual([]) // nothing runs in the request
      expect(await inbox.drain()).toBe(1)
      const deliveryId = `standard-webhooks:${id}`
      expect(seen).toEqual([
        ['exact', deliveryId, 1],
        ['order.*', deliveryId, 1],
        ['*', deliveryId, 1],
      ])
      expect(await store.get(deliveryId)).toMatchObject({ status: 'done', attempts: 1 })
    },
  )

  it.skipIf(skip)('a hooks.on() handler that throws is retried, with the next attempt number', async () => {
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
    const inbox = createInbox({ store, handlers: hooks, retryDelay: () => 0 })
    const server = await serve(inbox)
    opened.push(server.close)
    const attempts: number[] = []
    hooks.on('flaky.job', (e) => {
      attempts.push(e.attempt)
      if (e.attempt === 1) throw new Error('first attempt fails')
    })
    const id = nextId('flaky')
    expect((await deliver(server.url, id, 'flaky.job')).status).toBe(202)
    await inbox.drain()
    expect(attempts).toEqual([1, 2])
    expect(await store.get(`standard-webhooks:${id}`)).toMatchObject({ status: 'done', lastError: 'Error: first attempt fails' })
  })

  it.skipIf(skip)("re-applies core's schemas in the worker: the handler gets the transformed output", async () => {
    const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false, schemas: { 'order.paid': orderPaid } })
    const { inbox, url } = await setup(hooks)
    const payloads: unknown[] = []
    hooks.on('order.paid', (e) => void payloads.push(e.payload))
    const id = nextId('paid')
    expect((await deliver(url, id, 'order.paid', { cents: 1999 })).status).toBe(202)
    // Still refused at intake (never stored): the same schema guards both ends.
    expect((await deliver(url, nextId('bad'), 'order.paid', { cents: 'lots' })).status).toBe(422)
    await inbox.drain()
    expect(payloads).toEqual([{ amount: 19.99, currency: 'EUR' }])
    expect(JSON.parse(new TextDecoder().decode((await store.get(`standard-webhooks:${id}`))?.body))).toEqual({
      type: 'order.paid',
      data: { cents: 1999 },
    })
  })

  it.skipIf(skip)("keys Slack deliveries with core's key: a retry (new timestamp + signature, same event_id) is a duplicate", async () => {
    const hooks = createWebhookHandler({ scheme: 'slack', secret: SLACK_SECRET, replay: false })
    const { inbox, url } = await setup(hooks)
    const mentions: string[] = []
    hooks.on('app_mention', (e) => void mentions.push(String(e.id)))
    const eventId = `Ev${process.pid}x${seq++}`
    const body = JSON.stringify({ type: 'event_callback', event_id: eventId, event: { type: 'app_mention', text: 'hi' } })
    const post = async (timestamp: number, extra: Record<string, string> = {}) => {
      const headers = { ...(await sign({ scheme: 'slack', secret: SLACK_SECRET, body, timestamp })), ...extra }
      const response = await fetch(url, { method: 'POST', headers, body })
      return { status: response.status, body: await response.json() }
    }
    expect(await post(nowSeconds() - 60)).toEqual({ status: 202, body: { accepted: true } })
    expect(await post(nowSeconds(), { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).toEqual({
      status: 200,
      body: { ok: true, duplicate: true },
    })
    expect(await store.get(`slack:${eventId}`)).toMatchObject({ type: 'app_mention', eventId })
    await inbox.drain()
    expect(mentions).toEqual([eventId])
  })

  it.skipIf(skip)(
    'keeps two identical slash commands apart (no id: the key is a digest of timestamp + signature, not the body)',
    async () => {
      const hooks = createWebhookHandler({ scheme: 'slack', secret: SLACK_SECRET, replay: false })
      const { inbox, url } = await setup(hooks)
      const texts: unknown[] = []
      hooks.on('slash_command', (e) => void texts.push((e.payload as { text: string }).text))
      const body = `command=%2Fdeploy&text=same-${process.pid}-${seq++}`
      for (const timestamp of [nowSeconds() - 5, nowSeconds()]) {
        const headers = await sign({ scheme: 'slack', secret: SLACK_SECRET, body, contentType: FORM, timestamp })
        expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(202)
      }
      await inbox.drain()
      expect(texts).toHaveLength(2)
      expect(new Set(texts).size).toBe(1)
    },
  )
})
