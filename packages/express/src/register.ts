import type { RegisteredEvent } from '@hookguard/core'

/**
 * Core's `Register`, re-exported: declare your event map once (on either module) to type
 * `req.webhook` here and the events of every other hookguard adapter.
 * @example declare module '@hookguard/core' { interface Register { events: MyEvents } }
 */
export type { Register } from '@hookguard/core'

/** The event `verifyWebhook()` puts on `req.webhook`: typed by `Register`, else untyped. */
export type RequestWebhook = RegisteredEvent

declare global {
  namespace Express {
    interface Request {
      /** The verified, claimed event. Set only on routes behind `verifyWebhook()`. */
      webhook: RequestWebhook
    }
  }
}
