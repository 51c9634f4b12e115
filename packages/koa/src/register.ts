import type { RegisteredEvent } from '@hookguard/core'

/**
 * Core's `Register`, re-exported: declare your event map once (on either module) to type
 * `ctx.state.webhook` here and the events of every other hookguard adapter.
 * @example declare module '@hookguard/core' { interface Register { events: MyEvents } }
 */
export type { Register } from '@hookguard/core'

/** The event `verifyWebhook()` puts on `ctx.state.webhook`: typed by `Register`, else untyped. */
export type StateWebhook = RegisteredEvent

declare module 'koa' {
  interface DefaultState {
    /** The verified, claimed event. Set only behind `verifyWebhook()`. */
    webhook: StateWebhook
  }
}
