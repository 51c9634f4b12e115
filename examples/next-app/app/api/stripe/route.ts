import { webhookRoute } from '@hookguard/next'
import { stripeHooks } from '../../../webhooks/stripe'

// App Router, Node.js runtime (the default): hooks.on('invoice.paid', …) in webhooks/stripe.ts does the work.
export const POST = webhookRoute(stripeHooks)
