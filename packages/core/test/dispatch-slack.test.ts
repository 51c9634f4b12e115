// Slack retries an Events API callback with a NEW timestamp and signature (X-Slack-Retry-Num), so a
// digest of timestamp + signature only stopped exact replays: the payload's event_id is the key.
import { createHash } from 'node:crypto'
import { createWebhookHandler, sign } from '@hookguard/core'
import { afterAll, describe, expect, it } from 'vitest'
import { send, serve, type TestServer } from './pipeline-helpers'

const secret = 'slack_dispatch_secret'
const FORM = 'application/x-www-form-urlencoded'
const nowSeconds = () => Math.floor(Date.now() / 1000)

describe('Slack event_id de-duplication', () => {
  const servers: TestServer[] = []
  afterAll(() => Promise.all(servers.map((s) => s.close())))

  it('answers a Slack retry (same event_id, new timestamp and signature) as a duplicate, over HTTP', async () => {
    const hooks = createWebhookHandler({ scheme: 'slack', secret })
    const ids: Array<string | undefined> = []
    hooks.on('app_mention', (event) => void ids.push(event.id))
    const server = await serve(hooks, 'handle')
    servers.push(server)
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev0RETRY1', event: { type: 'app_mention', text: 'hi' } })
    const first = await send(server.url, { scheme: 'slack', secret, body, timestamp: nowSeconds() - 60 })
    expect(first).toMatchObject({ status: 200, body: { ok: true } })
    const retry = await send(
      server.url,
      { scheme: 'slack', secret, body, timestamp: nowSeconds() },
      { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    )
    expect(retry).toMatchObject({ status: 200, body: { ok: true, duplicate: true } })
    expect(ids).toEqual(['Ev0RETRY1'])
  })

  it("keys the receipt and the event by event_id, so an inbox keys a retry like core ('slack:Ev…')", async () => {
    const hooks = createWebhookHandler({ scheme: 'slack', secret, replay: false })
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev0KEY', event: { type: 'message' } })
    const keys: string[] = []
    for (const timestamp of [nowSeconds() - 30, nowSeconds()]) {
      const receipt = await hooks.receive({ method: 'POST', headers: await sign({ scheme: 'slack', secret, body, timestamp }), body })
      if (!receipt.accepted) throw new Error(receipt.result.body)
      expect(receipt.event.id).toBe('Ev0KEY')
      keys.push(receipt.key)
    }
    expect(keys).toEqual(['slack:Ev0KEY', 'slack:Ev0KEY'])
  })

  it('keeps the digest for slash commands: the same text sent twice is two commands, the exact replay a duplicate', async () => {
    const hooks = createWebhookHandler({ scheme: 'slack', secret })
    let runs = 0
    hooks.on('slash_command', () => void runs++)
    const body = 'command=%2Fdeploy&text=api&event_id=not-an-events-api-id'
    const post = (headers: Record<string, string>) => hooks.handle({ method: 'POST', headers, body }).then((r) => JSON.parse(r.body))
    const headers = await sign({ scheme: 'slack', secret, body, contentType: FORM, timestamp: nowSeconds() - 10 })
    expect(await post(headers)).toEqual({ ok: true })
    expect(await post(headers)).toEqual({ ok: true, duplicate: true })
    expect(await post(await sign({ scheme: 'slack', secret, body, contentType: FORM }))).toEqual({ ok: true })
    expect(runs).toBe(2)
    const receipt = await createWebhookHandler({ scheme: 'slack', secret, replay: false }).receive({ method: 'POST', headers, body })
    if (!receipt.accepted) throw new Error(receipt.result.body)
    const digest = createHash('sha256').update(`${headers['x-slack-request-timestamp']}.${headers['x-slack-signature']}`).digest('hex')
    expect(receipt.key).toBe(`slack:~${digest.slice(0, 40)}`)
    expect(receipt.event.id).toBeUndefined()
  })

  it('keeps the digest for interactivity payloads, which carry no event_id', async () => {
    const hooks = createWebhookHandler({ scheme: 'slack', secret, replay: false })
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', trigger_id: 't1' }) }).toString()
    const receipt = await hooks.receive({ method: 'POST', headers: await sign({ scheme: 'slack', secret, body, contentType: FORM }), body })
    if (!receipt.accepted) throw new Error(receipt.result.body)
    expect(receipt.event).toMatchObject({ type: 'block_actions', id: undefined })
    expect(receipt.key).toMatch(/^slack:~[0-9a-f]{40}$/)
  })
})
