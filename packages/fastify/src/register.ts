import type { RegisteredEvent } from '@hookguard/core'

/**
 * Core's `Register`, re-exported: declare your event map once (on either module) to type
 * `request.webhook` here and the events of every other hookguard adapter.
 * @example declare module '@hookguard/core' { interface Register { events: MyEvents } }
 */
export type { Register } from '@hookguard/core'

/** The event `verifyWebhook()` puts on `request.webhook`: typed by `Register`, else untyped. */
export type RequestWebhook = RegisteredEvent

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified, claimed event. Set only on the routes of a `hookguard` plugin with a `handler`. */
    webhook: RequestWebhook
  }
}
