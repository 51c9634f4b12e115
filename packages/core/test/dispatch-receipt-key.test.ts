// receipt.key: the replay key core's own store uses, exposed so a store outside core keys deliveries the same way.
import { createHash } from 'node:crypto'
import {
  createWebhookHandler,
  memoryStore,
  type ReplayStore,
  sign,
  type WebhookHandlerOptions,
  type WebhookObserverEvent,
  type WebhookReceipt,
} from '@hookguard/core'
import { webCrypto } from '@hookguard/core/crypto/web'
import { describe, expect, it } from 'vitest'

function accepted<T>(receipt: WebhookReceipt<T>) {
  if (!receipt.accepted) throw new Error(`not accepted: ${receipt.result.body}`)
  return receipt
}

/** A real memoryStore that also remembers which keys were claimed. */
function recordingStore(): ReplayStore & { claimed: string[] } {
  const store = memoryStore()
  const claimed: string[] = []
  return {
    claimed,
    claim: (key, leaseMs, token) => {
      claimed.push(key)
      return store.claim(key, leaseMs, token)
    },
    complete: (key, ttlMs, token) => store.complete(key, ttlMs, token),
    release: (key, token) => store.release(key, token),
  }
}

const slackDigest = (headers: Record<string, string>) =>
  `slack:~${createHash('sha256').update(`${headers['x-slack-request-timestamp']}.${headers['x-slack-signature']}`).digest('hex').slice(0, 40)}`

const cases: Array<{
  name: string
  options: WebhookHandlerOptions
  body: string
  contentType?: string
  key: (h: Record<string, string>) => string
}> = [
  {
    name: 'stripe (id in the payload)',
    options: { scheme: 'stripe', secret: 'whsec_key' },
    body: JSON.stringify({ id: 'evt_key_1', type: 'invoice.paid' }),
    key: () => 'stripe:evt_key_1',
  },
  {
    name: 'standard-webhooks (id in a header)',
    options: { scheme: 'standard-webhooks', secret: 'whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=' },
    body: JSON.stringify({ type: 'user.created' }),
    key: (h) => `standard-webhooks:${h['webhook-id']}`,
  },
  {
    name: 'slack slash command (no id: digest of timestamp + signature)',
    options: { scheme: 'slack', secret: 'slack_key' },
    body: 'command=%2Fdeploy&text=api',
    contentType: 'application/x-www-form-urlencoded',
    key: slackDigest,
  },
  {
    name: 'slack slash command on Web Crypto (the async digest)',
    options: { scheme: 'slack', secret: 'slack_key', crypto: webCrypto },
    body: 'command=%2Fdeploy&text=web',
    contentType: 'application/x-www-form-urlencoded',
    key: slackDigest,
  },
]

describe.each(cases)('receipt.key for $name', ({ options, body, contentType, key }) => {
  it('is the key the replay store claims, and the key of the duplicate that follows', async () => {
    const store = recordingStore()
    const events: WebhookObserverEvent[] = []
    const hooks = createWebhookHandler({ ...options, replay: store, onEvent: (e) => events.push(e) })
    const headers = await sign({ scheme: options.scheme as 'stripe', secret: options.secret as string, body, contentType })
    const receipt = accepted(await hooks.receive({ method: 'POST', headers, body }))
    expect(receipt.key).toBe(key(headers))
    expect(store.claimed).toEqual([receipt.key])
    await receipt.settle(200)
    const repeat = await hooks.receive({ method: 'POST', headers, body })
    expect(repeat.accepted).toBe(false)
    expect(events.find((e) => e.kind === 'duplicate')).toMatchObject({ key: receipt.key })
  })

  it('is computed, identically, with replay: false', async () => {
    const hooks = createWebhookHandler({ ...options, replay: false })
    const headers = await sign({ scheme: options.scheme as 'stripe', secret: options.secret as string, body, contentType })
    const first = accepted(await hooks.receive({ method: 'POST', headers, body }))
    // Without a store nothing de-duplicates in core: the same request is accepted again, with the same key.
    const again = accepted(await hooks.receive({ method: 'POST', headers, body }))
    expect(first.key).toBe(key(headers))
    expect(again.key).toBe(first.key)
  })
})
