import { createWebhookHandler } from '@hookguard/core'
import { record } from './seen'

/** The Stripe events this app handles, typed the way `hooks.on` hands them over. */
export type StripeEvents = {
  'invoice.paid': { id: string; type: 'invoice.paid'; data: { object: { id: string; amount_paid: number; currency: string } } }
}

export const stripeHooks = createWebhookHandler<StripeEvents>({
  scheme: 'stripe',
  secret: process.env.STRIPE_WEBHOOK_SECRET as string,
  // Small on purpose, so the example's oversized-body check is cheap; Stripe's own events stay well below it.
  maxBodyBytes: 64 * 1024,
})

stripeHooks.on('invoice.paid', (event) => {
  const invoice = event.payload.data.object
  record({ route: 'app/stripe (nodejs)', id: event.id, type: event.type, detail: invoice.amount_paid })
})
