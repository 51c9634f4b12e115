import { createWebhookHandler } from '@hookguard/core'
import { verifyWebhook, type WebhookVariables } from '@hookguard/hono'
import { Hono } from 'hono'
import { expectTypeOf, it } from 'vitest'

// Declared once, on core: Hono's `webhook` variable is typed without a generic on the app.
declare module '@hookguard/core' {
  interface Register {
    events: { 'invoice.paid': { amount: number }; 'invoice.voided': { reason: string } }
  }
}

it('types c.get("webhook") from core’s Register, in an app with no Variables generic', () => {
  const app = new Hono()
  app.post('/webhooks', (c) => {
    const event = c.get('webhook')
    expectTypeOf(event.type).toEqualTypeOf<'invoice.paid' | 'invoice.voided'>()
    if (event.type === 'invoice.paid') expectTypeOf(event.payload).toEqualTypeOf<{ amount: number }>()
    return c.text('ok')
  })
  expectTypeOf<WebhookVariables['webhook']['type']>().toEqualTypeOf<'invoice.paid' | 'invoice.voided'>()
})

it('still types the variable from the handler’s own events when they differ', () => {
  const hooks = createWebhookHandler<{ 'user.created': { name: string } }>({ scheme: 'github', secret: 'x' })
  new Hono().post('/users', verifyWebhook(hooks), (c) => {
    expectTypeOf(c.get('webhook').type).toEqualTypeOf<'user.created'>()
    return c.text('ok')
  })
})
