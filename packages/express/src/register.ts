import type { AnyEvent, EventMap } from '@hookguard/core'

/**
 * Declare your event map once to type `req.webhook` in every route:
 * @example declare module '@hookguard/express' { interface Register { events: MyEvents } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface is the point; users augment it.
export interface Register {}

/** The event `verifyWebhook()` puts on `req.webhook`: typed by {@link Register}, else untyped. */
export type RequestWebhook = AnyEvent<Register extends { events: infer TEvents extends EventMap } ? TEvents : EventMap>

declare global {
  namespace Express {
    interface Request {
      /** The verified, claimed event. Set only on routes behind `verifyWebhook()`. */
      webhook: RequestWebhook
    }
  }
}
