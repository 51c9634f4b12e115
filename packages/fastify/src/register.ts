import type { AnyEvent, EventMap } from '@hookguard/core'

/**
 * Declare your event map once to type `request.webhook` in every route:
 * @example declare module '@hookguard/fastify' { interface Register { events: MyEvents } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface is the point; users augment it.
export interface Register {}

/** The event `verifyWebhook()` puts on `request.webhook`: typed by {@link Register}, else untyped. */
export type RequestWebhook = AnyEvent<Register extends { events: infer TEvents extends EventMap } ? TEvents : EventMap>

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified, claimed event. Set only on the routes of a `hookguard` plugin with a `handler`. */
    webhook: RequestWebhook
  }
}
