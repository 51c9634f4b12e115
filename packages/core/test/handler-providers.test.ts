// Per-provider parsing, typing and replay keys, end to end through the pipeline.
import { createHash } from 'node:crypto'
import { createWebhookHandler, hmac, sign, type WebhookEvent, type WebhookHandlerOptions, type WebhookObserverEvent } from '@hookguard/core'
import { webCrypto } from '@hookguard/core/crypto/web'
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest'
import { parsed, send, serve, type TestServer } from './pipeline-helpers'

const FORM = 'application/x-www-form-urlencoded'

function setup<TEvents extends Record<string, unknown> = Record<string, unknown>>(options: WebhookHandlerOptions<TEvents>) {
  const events: WebhookObserverEvent[] = []
  const seen: WebhookEvent[] = []
  const hooks = createWebhookHandler<TEvents>({ ...options, onEvent: (e) => events.push(e) })
  const post = (headers: Record<string, string>, body: string) => hooks.handle({ method: 'POST', headers, body }).then(parsed)
  return { hooks, events, seen, post }
}

describe('Slack', () => {
  const secret = 'slack_signing_secret'
  const servers: TestServer[] = []
  afterAll(() => Promise.all(servers.map((s) => s.close())))

  it("answers url_verification with the handler's return value (the challenge), over HTTP", async () => {
    const { hooks } = setup({ scheme: 'slack', secret })
    hooks.on('url_verification', (event) => ({ challenge: (event.payload as { challenge: string }).challenge }))
    const server = await serve(hooks, 'fetch')
    servers.push(server)
    const body = JSON.stringify({ token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' })
    const answer = await send(server.url, { scheme: 'slack', secret, body })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' })
  })

  it('parses interactive payload= form bodies as JSON, typed by payload.type', async () => {
    const { hooks, post } = setup({ scheme: 'slack', secret })
    const seen: unknown[] = []
    hooks.on('block_actions', (event) => void seen.push(event.payload))
    const interaction = { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'approve', value: 'a&b=c' }] }
    const body = new URLSearchParams({ payload: JSON.stringify(interaction) }).toString()
    const headers = await sign({ scheme: 'slack', secret, body, contentType: FORM })
    const result = await post(headers, body)
    expect(result.json).toEqual({ ok: true })
    expect(seen).toEqual([interaction])
  })

  it('parses slash commands into their fields, typed slash_command', async () => {
    const { hooks, post } = setup({ scheme: 'slack', secret })
    hooks.on('slash_command', (event) => ({ response_type: 'ephemeral', text: `deploying ${(event.payload as { text: string }).text}` }))
    const body = 'token=t&team_id=T1&command=%2Fdeploy&text=api+v2&user_id=U1&response_url=https%3A%2F%2Fhooks.slack.com%2Fx'
    const headers = await sign({ scheme: 'slack', secret, body, contentType: FORM })
    const result = await post(headers, body)
    expect(result.json).toEqual({ response_type: 'ephemeral', text: 'deploying api v2' })
  })

  it('keeps every form field as an own string property, even one named __proto__', async () => {
    const { hooks, post } = setup({ scheme: 'slack', secret })
    let payload: Record<string, unknown> = {}
    hooks.on('slash_command', (event) => {
      payload = event.payload as Record<string, unknown>
    })
    const body = 'command=%2Fx&text=a&__proto__=polluted&text=b'
    await post(await sign({ scheme: 'slack', secret, body, contentType: FORM }), body)
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype)
    expect(Object.hasOwn(payload, '__proto__')).toBe(true)
    expect(payload).toMatchObject({ command: '/x', text: 'b' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('routes Events API callbacks by the inner event.type', async () => {
    const { hooks, post } = setup({ scheme: 'slack', secret })
    const types: string[] = []
    hooks.on('*', (event) => void types.push(event.type))
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', text: 'hi' }, event_id: 'Ev1' })
    await post(await sign({ scheme: 'slack', secret, body }), body)
    expect(types).toEqual(['app_mention'])
  })

  it('keys replays by a digest of timestamp + signature: the same request is a duplicate, a new one is not', async () => {
    const { hooks, post, events } = setup({ scheme: 'slack', secret })
    let runs = 0
    hooks.on('*', () => void runs++)
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'message', text: 'same text' } })
    const headers = await sign({ scheme: 'slack', secret, body })
    expect((await post(headers, body)).json).toEqual({ ok: true })
    expect((await post(headers, body)).json).toEqual({ ok: true, duplicate: true })
    const digest = createHash('sha256')
      .update(`${headers['x-slack-request-timestamp']}.${headers['x-slack-signature']}`)
      .digest('hex')
      .slice(0, 40)
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({ key: `slack:~${digest}`, id: undefined })
    // The same body signed at another second is another delivery (Slack sends no id).
    const later = await sign({ scheme: 'slack', secret, body, timestamp: Math.floor(Date.now() / 1000) - 5 })
    expect((await post(later, body)).json).toEqual({ ok: true })
    expect(runs).toBe(2)
  })
})

describe('Web Crypto', () => {
  it('runs the same pipeline, with the same Slack replay key, on Web Crypto', async () => {
    const secret = 'slack_signing_secret'
    const node = setup({ scheme: 'slack', secret })
    const web = setup({ scheme: 'slack', secret, crypto: webCrypto })
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'message' } })
    const headers = await sign({ scheme: 'slack', secret, body, crypto: webCrypto })
    for (const { hooks, post } of [node, web]) {
      hooks.on('message', () => ({ handled: true }))
      expect((await post(headers, body)).json).toEqual({ handled: true })
      expect((await post(headers, body)).json).toEqual({ ok: true, duplicate: true })
    }
    const keyOf = (events: WebhookObserverEvent[]) => events.find((e) => e.kind === 'duplicate' && e.key)
    expect(keyOf(web.events)).toEqual({ ...keyOf(node.events), durationMs: expect.any(Number) })
  })
})

describe('GitHub', () => {
  const secret = 'github_secret'
  type GithubEvents = { 'issues.opened': { action: 'opened'; issue: { number: number } }; push: { ref: string } }

  it('types issues.opened from X-GitHub-Event + action and keys replays by X-GitHub-Delivery', async () => {
    const { hooks, post, events } = setup<GithubEvents>({ scheme: 'github', secret })
    const numbers: number[] = []
    hooks.on('issues.opened', (event) => {
      expectTypeOf(event.payload.issue.number).toEqualTypeOf<number>()
      numbers.push(event.payload.issue.number)
    })
    hooks.on('push', (event) => void numbers.push(event.payload.ref.length))
    const body = JSON.stringify({ action: 'opened', issue: { number: 42 } })
    const id = '72d3162e-cc78-11e3-81ab-4c9367dc0958'
    const headers = await sign({ scheme: 'github', secret, body, type: 'issues', id })
    expect(headers['x-github-event']).toBe('issues')
    expect((await post(headers, body)).json).toEqual({ ok: true })
    expect((await post(headers, body)).json).toEqual({ ok: true, duplicate: true })
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({ key: `github:${id}`, id, type: 'issues.opened' })
    const push = JSON.stringify({ ref: 'refs/heads/main' })
    await post(await sign({ scheme: 'github', secret, body: push, type: 'push' }), push)
    expect(numbers).toEqual([42, 15])
  })
})

describe('Shopify', () => {
  it('types by X-Shopify-Topic, routes orders/*, keys by X-Shopify-Webhook-Id', async () => {
    const secret = 'shopify_secret'
    const { hooks, post, events } = setup<{ 'orders/create': { id: number }; 'orders/paid': { id: number } }>({ scheme: 'shopify', secret })
    const topics: string[] = []
    hooks.on('orders/*', (event) => void topics.push(event.type))
    const body = JSON.stringify({ id: 820982911946154500 })
    const headers = await sign({ scheme: 'shopify', secret, body, type: 'orders/create', id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' })
    await post(headers, body)
    await post(headers, body)
    expect(topics).toEqual(['orders/create'])
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({ key: 'shopify:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' })
  })
})

describe('Stripe', () => {
  it('types by payload.type and keys replays by the event id, whatever the signature', async () => {
    const secret = 'whsec_stripe_provider'
    const { hooks, post, events } = setup({ scheme: 'stripe', secret })
    const types: string[] = []
    hooks.on('*', (event) => void types.push(event.type))
    const body = JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', type: 'customer.subscription.updated' })
    await post(await sign({ scheme: 'stripe', secret, body, timestamp: Math.floor(Date.now() / 1000) - 60 }), body)
    const retry = parsed(await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret, body }), body }))
    expect(retry.json).toEqual({ ok: true, duplicate: true })
    expect(types).toEqual(['customer.subscription.updated'])
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({
      key: 'stripe:evt_1NG8Du2eZvKYlo2CUI79vXWy',
      id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
    })
  })
})

describe('Standard Webhooks and custom HMAC schemes', () => {
  it('Standard Webhooks: webhook-id is the key, payload.type the type', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const { hooks, post, events } = setup({ scheme: 'standard-webhooks', secret })
    hooks.on('user.*', () => {})
    const body = JSON.stringify({ type: 'user.created', data: { id: 'u1' } })
    const headers = await sign({ scheme: 'standard-webhooks', secret, body, id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' })
    await post(headers, body)
    await post(headers, body)
    expect(events.filter((e) => e.kind === 'handled' || e.kind === 'duplicate').map((e) => e.kind)).toEqual(['handled', 'duplicate'])
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({
      key: 'standard-webhooks:msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      type: 'user.created',
    })
  })

  it('a custom hmac() scheme takes its id, type header or type field as configured', async () => {
    const scheme = hmac({
      name: 'im',
      signatureHeader: 'x-callback-signature',
      idHeader: 'x-callback-id',
      timestampHeader: 'x-callback-timestamp',
      typeField: 'event',
      template: '${id}.${timestamp}.${body}',
    })
    const { hooks, post, events } = setup({ scheme, secret: 'im_secret' })
    const types: string[] = []
    hooks.on('message.*', (event) => void types.push(event.type))
    const body = JSON.stringify({ event: 'message.received', text: 'hi' })
    const headers = await sign({ scheme, secret: 'im_secret', body, id: 'cb_1' })
    await post(headers, body)
    await post(headers, body)
    expect(types).toEqual(['message.received'])
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({ key: 'im:cb_1' })
  })

  it('keeps a non-JSON text body as text', async () => {
    const scheme = hmac({ name: 'text', signatureHeader: 'x-sig', idHeader: 'x-id', typeHeader: 'x-type' })
    const { hooks, post } = setup({ scheme, secret: 's' })
    hooks.on('note', (event) => ({ got: event.payload }))
    const headers = await sign({ scheme, secret: 's', body: 'plain words', contentType: 'text/plain', type: 'note' })
    expect((await post(headers, 'plain words')).json).toEqual({ got: 'plain words' })
  })
})
