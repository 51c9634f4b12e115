// The middleware entry adapters use when the user's own route does the work: receive() then settle().
import { createWebhookHandler, sign, type WebhookObserverEvent, type WebhookReceipt } from '@hookguard/core'
import { describe, expect, it } from 'vitest'

const SECRET = 'whsec_receive_secret'
let seq = 0

async function setup(options: { onDuplicate?: 'acknowledge' | 'reject' } = {}) {
  const events: WebhookObserverEvent[] = []
  const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, onEvent: (e) => events.push(e), ...options })
  const body = JSON.stringify({ id: `evt_receive_${++seq}`, type: 'invoice.paid', data: {} })
  const headers = await sign({ scheme: 'stripe', secret: SECRET, body })
  const receive = () => hooks.receive({ method: 'POST', headers, body })
  return { hooks, events, receive, body, headers }
}

function accepted<T>(receipt: WebhookReceipt<T>) {
  if (!receipt.accepted) throw new Error(`expected an accepted receipt, got ${receipt.result.status} ${receipt.result.body}`)
  return receipt
}

describe('receive() and settle()', () => {
  it('hands back the verified event; a 2xx settle completes it, so a repeat is an acknowledged duplicate', async () => {
    const { receive, events } = await setup()
    const receipt = accepted(await receive())
    expect(receipt.event).toMatchObject({ type: 'invoice.paid', scheme: 'stripe', payload: { data: {} } })
    expect(receipt.event.id).toMatch(/^evt_receive_/)
    await receipt.settle(204)
    const repeat = await receive()
    expect(repeat).toEqual({ accepted: false, result: expect.objectContaining({ status: 200, body: '{"ok":true,"duplicate":true}' }) })
    expect(events.map((e) => e.kind)).toEqual(['verified', 'handled', 'verified', 'duplicate'])
  })

  it('accepts { status } objects (a Response) as outcomes', async () => {
    const { receive } = await setup()
    await accepted(await receive()).settle(new Response(null, { status: 201 }))
    expect((await receive()).accepted).toBe(false)
  })

  it.each([
    ['a 500 status', 500],
    ['a 404 status', 404],
    ['a { status: 422 } object', { status: 422 }],
    ['an Error', new Error('route threw')],
    ['a thrown non-error', 'oops'],
    ['a 3xx status', 302],
  ])('releases the claim on %s, so the retry is accepted', async (_label, outcome) => {
    const { receive, events } = await setup()
    await accepted(await receive()).settle(outcome)
    expect((await receive()).accepted).toBe(true)
    expect(events.find((e) => e.kind === 'failed')).toMatchObject({ kind: 'failed', type: 'invoice.paid' })
  })

  it('is idempotent: only the first settle counts', async () => {
    const released = await setup()
    const first = accepted(await released.receive())
    await first.settle(500)
    await first.settle(200)
    const retry = accepted(await released.receive())
    expect(retry.event.type).toBe('invoice.paid')
    // The first receipt's late 200 did not complete the retry's claim: it is still in flight.
    const during = await released.receive()
    expect(during.accepted === false && during.error?.code).toBe('in_flight')

    const completed = await setup()
    const once = accepted(await completed.receive())
    await once.settle(200)
    await once.settle(new Error('late'))
    expect((await completed.receive()).accepted).toBe(false)
    expect(completed.events.filter((e) => e.kind === 'handled' || e.kind === 'failed')).toHaveLength(1)
  })

  it('answers a repeat while the first is unsettled with 409 in_flight and Retry-After', async () => {
    const { receive } = await setup()
    const first = accepted(await receive())
    const second = await receive()
    expect(second.accepted).toBe(false)
    if (second.accepted) return
    expect(second.result.status).toBe(409)
    expect(second.result.headers['retry-after']).toBe('60')
    expect(second.error?.code).toBe('in_flight')
    await first.settle(200)
  })

  it('comes back with accepted: false and the result to send for rejections and rejected duplicates', async () => {
    const { hooks, body, headers } = await setup({ onDuplicate: 'reject' })
    const forged = await hooks.receive({
      method: 'POST',
      headers: { ...headers, 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body,
    })
    expect(forged.accepted).toBe(false)
    if (!forged.accepted) {
      expect(forged.result.status).toBe(401)
      expect(JSON.parse(forged.result.body)).toEqual({ error: { code: 'signature_mismatch', message: expect.any(String) } })
      expect(forged.error?.code).toBe('signature_mismatch')
    }
    await accepted(await hooks.receive({ method: 'POST', headers, body })).settle(200)
    const duplicate = await hooks.receive({ method: 'POST', headers, body })
    expect(duplicate.accepted === false && duplicate.result.status).toBe(409)
    expect(duplicate.accepted === false && duplicate.error?.code).toBe('duplicate')
    const wrongMethod = await hooks.receive({ method: 'PUT', headers, body })
    expect(wrongMethod.accepted === false && wrongMethod.result.headers.allow).toBe('POST')
  })

  it('needs no settle when replay protection is off', async () => {
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, replay: false })
    const body = JSON.stringify({ id: 'evt_no_replay', type: 'x' })
    const headers = await sign({ scheme: 'stripe', secret: SECRET, body })
    const one = accepted(await hooks.receive({ method: 'POST', headers, body }))
    const two = accepted(await hooks.receive({ method: 'POST', headers, body }))
    await one.settle(200)
    await two.settle(200)
    expect((await hooks.receive({ method: 'POST', headers, body })).accepted).toBe(true)
  })
})
