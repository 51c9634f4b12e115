import { createWebhookHandler } from '@hookguard/core'

/** A Standard Webhooks sender (Svix, Resend, Clerk, …). */
export type StandardEvents = {
  'user.created': { type: 'user.created'; timestamp: string; data: { id: string; email: string } }
}

// Imported by the Edge route: core picks its Web Crypto build there through export conditions.
export const standardHooks = createWebhookHandler<StandardEvents>({
  scheme: 'standard-webhooks',
  secret: process.env.STANDARD_WEBHOOK_SECRET as string,
  maxBodyBytes: 64 * 1024,
})
