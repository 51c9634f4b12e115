// hooks.parse(): a stored, verified delivery back to the event handlers get, with `schemas` re-applied.
import { createWebhookHandler, type StandardSchemaV1, sign, WebhookError, type WebhookEvent } from '@hookguard/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'

const secret = 'whsec_parse'
const FORM = 'application/x-www-form-urlencoded'

// A transforming schema: what handlers get is not the JSON that was sent.
const invoicePaid = z
  .object({
    id: z.string(),
    type: z.literal('invoice.paid'),
    data: z.object({ cents: z.number().int(), currency: z.string().default('eur') }),
  })
  .transform((invoice) => ({ invoiceId: invoice.id, amount: invoice.data.cents / 100, currency: invoice.data.currency.toUpperCase() }))

/** What a durable store keeps of an accepted receipt: the stored parts, never the parsed payload. */
async function store(hooks: { receive: ReturnType<typeof createWebhookHandler>['receive'] }, body: string, contentType?: string) {
  const headers = await sign({ scheme: 'stripe', secret, body, contentType })
  const receipt = await hooks.receive({ method: 'POST', headers, body })
  if (!receipt.accepted) throw new Error(`not accepted: ${receipt.result.body}`)
  await receipt.settle(202)
  const { event } = receipt
  return {
    inRequest: event,
    row: {
      type: event.type,
      id: event.id,
      timestamp: event.timestamp,
      receivedAt: event.receivedAt,
      body: Uint8Array.from(event.rawBody),
      headers: { 'content-type': headers['content-type'] as string },
    },
  }
}

describe('hooks.parse()', () => {
  it("re-applies the schema: a worker's handler gets the transformed output, as in the request", async () => {
    const hooks = createWebhookHandler({ scheme: 'stripe', secret, replay: false, schemas: { 'invoice.paid': invoicePaid } })
    const got: unknown[] = []
    hooks.on('invoice.paid', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<{ invoiceId: string; amount: number; currency: string }>()
      got.push(event.payload)
    })
    const { inRequest, row } = await store(hooks, JSON.stringify({ id: 'evt_t1', type: 'invoice.paid', data: { cents: 1250 } }))
    const event = await hooks.parse({ ...row, attempt: 3 })
    expect(event.payload).toEqual({ invoiceId: 'evt_t1', amount: 12.5, currency: 'EUR' })
    expect(event.payload).toEqual(inRequest.payload)
    expect(event).toMatchObject({
      id: 'evt_t1',
      type: 'invoice.paid',
      scheme: 'stripe',
      timestamp: row.timestamp,
      receivedAt: row.receivedAt,
      attempt: 3,
    })
    expect(event.rawBody).toEqual(row.body)
    expect(await hooks.dispatch(event)).toEqual({ handlers: 1, reply: undefined })
    expect(got).toEqual([{ invoiceId: 'evt_t1', amount: 12.5, currency: 'EUR' }])
  })

  it('parses a type without a schema by its stored content type, like the request did', async () => {
    const hooks = createWebhookHandler({ scheme: 'stripe', secret, replay: false, schemas: { 'invoice.paid': invoicePaid } })
    const json = await store(hooks, JSON.stringify({ id: 'evt_t2', type: 'customer.created', name: 'Ada' }))
    expect((await hooks.parse(json.row)).payload).toEqual({ id: 'evt_t2', type: 'customer.created', name: 'Ada' })
    // A form body stays a form body: the stored content-type decides, not a guess.
    const form = await hooks.parse({ type: 'slash_command', body: 'command=%2Fx&text=a+b', headers: { 'Content-Type': FORM } })
    expect(form.payload).toEqual({ command: '/x', text: 'a b' })
    expect(form.scheme).toBe('stripe')
  })

  it('defaults attempt to 1 and receivedAt to now', async () => {
    const hooks = createWebhookHandler({ scheme: 'stripe', secret, now: () => 1_700_000_000_000 })
    const event = await hooks.parse({ type: 'x', body: '{"a":1}' })
    expect(event).toMatchObject({ attempt: 1, receivedAt: 1_700_000_000_000, id: undefined, timestamp: undefined, payload: { a: 1 } })
  })

  it('rejects invalid_payload (422) when the stored body no longer passes its schema (the schema changed since intake)', async () => {
    const lenient = createWebhookHandler({ scheme: 'stripe', secret, replay: false })
    const { row } = await store(lenient, JSON.stringify({ id: 'evt_t3', type: 'invoice.paid', data: { cents: 'lots' } }))
    const strict = createWebhookHandler({ scheme: 'stripe', secret, replay: false, schemas: { 'invoice.paid': invoicePaid } })
    const error = await strict.parse(row).catch((e: unknown) => e)
    expect(WebhookError.is(error)).toBe(true)
    expect(error).toMatchObject({ code: 'invalid_payload', status: 422 })
    expect((error as WebhookError).message).toContain('data.cents')
  })

  it('rejects invalid_payload for a body that does not parse, and refuses misuse with a TypeError', async () => {
    const hooks = createWebhookHandler({ scheme: 'stripe', secret })
    await expect(hooks.parse({ type: 'x', body: '{nope', headers: { 'content-type': 'application/json' } })).rejects.toMatchObject({
      code: 'invalid_payload',
    })
    await expect(hooks.parse({ body: '{}' } as never)).rejects.toThrow(TypeError)
    // A parsed object is not the stored bytes: refused rather than re-serialised.
    await expect(hooks.parse({ type: 'x', body: { a: 1 } as never })).rejects.toMatchObject({ code: 'raw_body_unavailable' })
  })

  it('applies an async Standard Schema too', async () => {
    const asyncSchema: StandardSchemaV1<unknown, { n: number }> = {
      '~standard': { version: 1, vendor: 'test', validate: async (value) => ({ value: { n: (value as { n: number }).n * 2 } }) },
    }
    const hooks = createWebhookHandler({ scheme: 'stripe', secret, schemas: { double: asyncSchema } })
    const event: WebhookEvent = await hooks.parse({ type: 'double', body: '{"n":21}' })
    expect(event.payload).toEqual({ n: 42 })
  })
})
