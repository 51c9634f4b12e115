import { type AnyEvent, createWebhookHandler, type RegisteredEvent, type WebhookEvent } from '@hookguard/core'
import { describe, expectTypeOf, it } from 'vitest'

// Declared once, on core: every adapter's `webhook` (req, request, ctx.state, Hono) reads it.
declare module '@hookguard/core' {
  interface Register {
    events: RegisteredMap
  }
}

// Event maps declared with `interface` have no implicit index signature; they must still work.
interface InterfaceEvents {
  'invoice.paid': { amount_paid: number }
  'invoice.voided': { reason: string }
  'orders/create': { order_number: number }
}
interface RegisteredMap {
  'user.created': { name: string }
}

const options = { scheme: 'stripe', secret: 'whsec_test' } as const

describe('event maps declared with interface', () => {
  it('type exact routes, wildcards and * as a type alias would', () => {
    const hooks = createWebhookHandler<InterfaceEvents>(options)
    hooks.on('invoice.paid', (event) => {
      expectTypeOf(event).toEqualTypeOf<WebhookEvent<'invoice.paid', { amount_paid: number }>>()
    })
    hooks.on('invoice.*', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'invoice.paid' | 'invoice.voided'>()
    })
    hooks.on('orders/*', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<{ order_number: number }>()
    })
    hooks.on('*', (event) => {
      expectTypeOf(event).toEqualTypeOf<AnyEvent<InterfaceEvents>>()
    })
    expectTypeOf(hooks.on)
      .parameter(0)
      .toEqualTypeOf<'invoice.paid' | 'invoice.voided' | 'orders/create' | 'invoice.*' | 'orders/*' | '*'>()
  })

  it('still refuses unknown types and wrong payloads', () => {
    const hooks = createWebhookHandler<InterfaceEvents>(options)
    // @ts-expect-error: not an event of InterfaceEvents
    hooks.on('invoice.created', () => {})
    // @ts-expect-error: a wildcard over no known type
    hooks.on('customer.*', () => {})
    // @ts-expect-error: the payload is { amount_paid: number }
    hooks.on('invoice.paid', (event: WebhookEvent<'invoice.paid', { reason: string }>) => event)
  })

  it('keeps an untyped handler’s payload unknown (the relaxed constraint adds no any)', () => {
    createWebhookHandler({ scheme: 'github', secret: 's' }).on('anything', (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<unknown>()
    })
  })
})

describe('Register', () => {
  it('types RegisteredEvent from the augmented map (an interface)', () => {
    expectTypeOf<RegisteredEvent>().toEqualTypeOf<WebhookEvent<'user.created', { name: string }>>()
  })
})
