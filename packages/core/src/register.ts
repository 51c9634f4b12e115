import type { AnyEvent, EventMap } from './events/types'

/**
 * Declare your event map once, for every adapter: it types `req.webhook` (Express),
 * `request.webhook` (Fastify), `ctx.state.webhook` (Koa) and Hono's `webhook` variable.
 * (Like TanStack Router's `Register`.)
 * @example declare module '@hookguard/core' { interface Register { events: MyEvents } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface is the point; users augment it.
export interface Register {}

/** The event map declared on {@link Register}, else the untyped {@link EventMap}. */
export type RegisteredEvents = Register extends { events: infer TEvents extends EventMap } ? TEvents : EventMap

/** The event a middleware-style adapter hands your route: typed by {@link Register}, else untyped. */
export type RegisteredEvent = AnyEvent<RegisteredEvents>
