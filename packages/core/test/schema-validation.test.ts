// Standard Schema validation per event type, with zod 4 and valibot 1.
import { createWebhookHandler, type StandardSchemaV1, sign } from '@hookguard/core'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const SECRET = 'whsec_schema'
let seq = 0

const zodInvoice = z.object({
  id: z.string(),
  type: z.literal('invoice.paid'),
  data: z.object({ amount: z.number().int().positive(), currency: z.string().length(3).default('eur') }),
})
const valibotInvoice = v.object({
  id: v.string(),
  type: v.literal('invoice.paid'),
  data: v.object({ amount: v.pipe(v.number(), v.integer(), v.minValue(1)), currency: v.optional(v.pipe(v.string(), v.length(3)), 'eur') }),
})

describe.each([
  ['zod', zodInvoice],
  ['valibot', valibotInvoice],
] as const)('schemas with %s', (_vendor, schema) => {
  async function post(data: unknown) {
    const calls: unknown[] = []
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, schemas: { 'invoice.paid': schema } })
    // Inferred from `schemas`, the event map has only 'invoice.paid'; '*' still hears every type at runtime.
    hooks.on('*', (event) => void calls.push(event.payload))
    const send = async (type: string) => {
      const body = JSON.stringify({ id: `evt_schema_${++seq}`, type, data })
      const result = await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret: SECRET, body }), body })
      return { status: result.status, json: JSON.parse(result.body), text: result.body }
    }
    return { calls, send }
  }

  it("hands the schema's output (defaults applied) to the handler", async () => {
    const { calls, send } = await post({ amount: 1200 })
    expect((await send('invoice.paid')).status).toBe(200)
    expect(calls).toEqual([{ id: expect.any(String), type: 'invoice.paid', data: { amount: 1200, currency: 'eur' } }])
  })

  it('422 invalid_payload with every failing path, and no values', async () => {
    const { calls, send } = await post({ amount: -5.5, currency: 'SECRET_VALUE_xyz' })
    const result = await send('invoice.paid')
    expect(result.status).toBe(422)
    expect(result.json.error.code).toBe('invalid_payload')
    expect(result.json.error.message).toMatch(/invoice\.paid payload does not match its schema at .*data\.amount/)
    expect(result.json.error.message).toContain('data.currency')
    expect(result.text).not.toContain('SECRET_VALUE_xyz')
    expect(result.text).not.toContain('-5.5')
    expect(calls).toEqual([])
  })

  it('leaves types without a schema unvalidated', async () => {
    const { calls, send } = await post({ anything: true })
    expect((await send('invoice.created')).status).toBe(200)
    expect(calls).toEqual([expect.objectContaining({ data: { anything: true } })])
  })
})

describe('schemas', () => {
  it('awaits async schemas', async () => {
    const schema = z.object({ id: z.string() }).refine(async (value) => value.id.startsWith('evt_'), { path: ['id'] })
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, schemas: { ping: schema } })
    hooks.on('ping', () => {})
    const post = async (id: string) => {
      const body = JSON.stringify({ id, type: 'ping' })
      return (await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret: SECRET, body }), body })).status
    }
    expect(await post('evt_ok')).toBe(200)
    expect(await post('bad_id')).toBe(422)
  })

  it('names the root when the whole payload is wrong', async () => {
    const hooks = createWebhookHandler({ scheme: 'stripe', secret: SECRET, schemas: { unknown: z.object({ id: z.string() }) } })
    const body = '[1,2]'
    const result = await hooks.handle({ method: 'POST', headers: await sign({ scheme: 'stripe', secret: SECRET, body }), body })
    expect(result.status).toBe(422)
    expect(JSON.parse(result.body).error.message).toContain('(root)')
  })

  it('refuses something that is not a Standard Schema at construction', () => {
    const notASchema = { parse: () => ({}) } as unknown as StandardSchemaV1
    expect(() => createWebhookHandler({ scheme: 'stripe', secret: SECRET, schemas: { x: notASchema } })).toThrow(TypeError)
  })
})
