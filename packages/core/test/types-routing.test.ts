import { type AnyEvent, createWebhookHandler, type WebhookEvent } from '@hookguard/core'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'

interface Invoice {
  id: string
  amount_paid: number
}
interface Refund {
  id: string
  amount: number
}
interface Issue {
  number: number
}
type MyEvents = {
  'invoice.paid': Invoice
  'invoice.payment_failed': { attempt_count: number }
  'charge.refund.updated': Refund
  'issues.opened': { issue: Issue }
  'orders/create': { order_number: number }
}

const options = { scheme: 'stripe', secret: 'whsec_test' } as const

// These run under vitest (no-ops at runtime) and under `tsc -p tsconfig.json` (the typecheck script).
describe('typed routing', () => {
  it('types an exact route by its payload', () => {
    const hooks = createWebhookHandler<MyEvents>(options)
    hooks.on('invoice.paid', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'invoice.paid'>()
      expectTypeOf(event.payload).toEqualTypeOf<Invoice>()
      expectTypeOf(event).toEqualTypeOf<WebhookEvent<'invoice.paid', Invoice>>()
      expectTypeOf(event.id).toEqualTypeOf<string | undefined>()
      expectTypeOf(event.rawBody).toEqualTypeOf<Uint8Array>()
    })
    hooks.on('issues.opened', (event) => {
      expectTypeOf(event.payload.issue.number).toEqualTypeOf<number>()
    })
    hooks.on('orders/create', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<{ order_number: number }>()
    })
  })

  it('gives a wildcard the union of the types it matches, discriminated by type', () => {
    const hooks = createWebhookHandler<MyEvents>(options)
    hooks.on('invoice.*', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'invoice.paid' | 'invoice.payment_failed'>()
      if (event.type === 'invoice.paid') expectTypeOf(event.payload).toEqualTypeOf<Invoice>()
      else expectTypeOf(event.payload).toEqualTypeOf<{ attempt_count: number }>()
    })
    hooks.on('charge.*', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'charge.refund.updated'>()
    })
    hooks.on('charge.refund.*', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<Refund>()
    })
    hooks.on('orders/*', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'orders/create'>()
    })
  })

  it("gives '*' every event of the map", () => {
    const hooks = createWebhookHandler<MyEvents>(options)
    hooks.on('*', (event) => {
      expectTypeOf(event).toEqualTypeOf<AnyEvent<MyEvents>>()
      expectTypeOf(event.type).toEqualTypeOf<keyof MyEvents>()
    })
  })

  it('refuses unknown types and wildcards that match nothing', () => {
    const hooks = createWebhookHandler<MyEvents>(options)
    // @ts-expect-error: not an event of MyEvents
    hooks.on('invoice.created', () => {})
    // @ts-expect-error: a wildcard over no known type
    hooks.on('customer.*', () => {})
    // @ts-expect-error: the payload is an Invoice, not a Refund
    hooks.on('invoice.paid', (event: WebhookEvent<'invoice.paid', Refund>) => event)
    expectTypeOf(hooks.on)
      .parameter(0)
      .toEqualTypeOf<keyof MyEvents | 'invoice.*' | 'charge.*' | 'charge.refund.*' | 'issues.*' | 'orders/*' | '*'>()
  })

  it('accepts any string and an unknown payload when untyped', () => {
    const hooks = createWebhookHandler({ scheme: 'github', secret: 's' })
    hooks.on('anything.at.all', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<string>()
      expectTypeOf(event.payload).toEqualTypeOf<unknown>()
    })
  })

  it('infers payload types from zod and valibot schemas when no generic is given', () => {
    const hooks = createWebhookHandler({
      ...options,
      schemas: {
        'invoice.paid': z.object({ id: z.string(), amount_paid: z.number() }),
        'customer.created': v.object({ id: v.string(), email: v.optional(v.string()) }),
      },
    })
    hooks.on('invoice.paid', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<{ id: string; amount_paid: number }>()
    })
    hooks.on('customer.created', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<{ id: string; email?: string | undefined }>()
    })
    // @ts-expect-error: no schema names this type
    hooks.on('invoice.voided', () => {})
  })

  it('refuses a schema whose output is not the declared payload', () => {
    createWebhookHandler<MyEvents>({
      ...options,
      schemas: {
        // @ts-expect-error: amount_paid is a number in MyEvents
        'invoice.paid': z.object({ id: z.string(), amount_paid: z.string() }),
      },
    })
    createWebhookHandler<MyEvents>({
      ...options,
      // @ts-expect-error: not an event of MyEvents
      schemas: { 'invoice.created': z.object({}) },
    })
  })

  it('types the middleware entry and the handler result', async () => {
    const hooks = createWebhookHandler<MyEvents>(options)
    const receipt = await hooks.receive({ method: 'POST', headers: {}, body: '' })
    if (receipt.accepted) {
      expectTypeOf(receipt.event).toEqualTypeOf<AnyEvent<MyEvents>>()
      expectTypeOf(receipt.settle).parameter(0).toBeUnknown()
    } else {
      expectTypeOf(receipt.result.status).toEqualTypeOf<number>()
    }
    expectTypeOf(hooks.handle).returns.resolves.toEqualTypeOf<{ status: number; headers: Record<string, string>; body: string }>()
    expectTypeOf(hooks.fetch).returns.resolves.toEqualTypeOf<Response>()
  })
})
