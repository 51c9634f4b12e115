import type { AnyEvent, EventMap } from '@hookguard/core'

/**
 * Declare your event map once to type `ctx.state.webhook` in every middleware:
 * @example declare module '@hookguard/koa' { interface Register { events: MyEvents } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface is the point; users augment it.
export interface Register {}

/** The event `verifyWebhook()` puts on `ctx.state.webhook`: typed by {@link Register}, else untyped. */
export type StateWebhook = AnyEvent<Register extends { events: infer TEvents extends EventMap } ? TEvents : EventMap>

declare module 'koa' {
  interface DefaultState {
    /** The verified, claimed event. Set only behind `verifyWebhook()`. */
    webhook: StateWebhook
  }
}
