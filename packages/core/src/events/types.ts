import type { StandardSchemaV1 } from './schema'

/**
 * Event type → payload type, declared with `type` or `interface`.
 * `any`, not `unknown`, on purpose: only an `any` index signature accepts an `interface` (which has
 * no implicit index signature). Payloads stay strictly typed: the map's own keys drive `on()`, and
 * an untyped handler's payload is `unknown` (see {@link EventFor}).
 */
export type EventMap = Record<string, any>

/** What an `on()` handler receives: a verified, parsed (and, with a schema, validated) event. */
export interface WebhookEvent<TType extends string = string, TPayload = unknown> {
  /** The provider's delivery id (also the replay key), when it sends one. */
  readonly id: string | undefined
  /**
   * The event type, e.g. `invoice.paid`, `issues.opened`, `orders/create`; `unknown` when the
   * scheme finds none (such a delivery still reaches `*` handlers).
   */
  readonly type: TType
  readonly payload: TPayload
  /** The signed Unix timestamp (seconds), when the scheme signs one. */
  readonly timestamp: number | undefined
  /** The scheme's name, e.g. `stripe`. */
  readonly scheme: string
  /** The exact verified bytes. */
  readonly rawBody: Uint8Array
  /** When hookguard received it (ms since the epoch). */
  readonly receivedAt: number
  /** 1 for the first processing attempt (the inbox counts retries). */
  readonly attempt: number
}

type Keys<TEvents> = keyof TEvents & string

/** `a.*`, `a.b.*` for `a.b.c`; `orders/*` for `orders/create`. */
export type WildcardsOf<K extends string> = K extends `${infer Head}.${infer Rest}`
  ? `${Head}.*` | `${Head}.${WildcardsOf<Rest>}`
  : K extends `${infer Head}/${infer Rest}`
    ? `${Head}/*` | `${Head}/${WildcardsOf<Rest>}`
    : never

/** What `on()` accepts: a known type, a wildcard over known types, or `*`. Any string when untyped. */
export type EventPattern<TEvents extends EventMap> =
  string extends Keys<TEvents> ? string : Keys<TEvents> | WildcardsOf<Keys<TEvents>> | '*'

/** The event types a pattern matches. */
export type MatchedTypes<TEvents extends EventMap, TPattern extends string> = TPattern extends '*'
  ? Keys<TEvents>
  : TPattern extends `${infer Prefix}*`
    ? Extract<Keys<TEvents>, `${Prefix}${string}`>
    : Extract<Keys<TEvents>, TPattern>

/** The event a handler for `TPattern` receives: a union discriminated by `type`. */
export type EventFor<TEvents extends EventMap, TPattern extends string> =
  string extends Keys<TEvents>
    ? WebhookEvent<string, unknown>
    : { [K in MatchedTypes<TEvents, TPattern>]: WebhookEvent<K, TEvents[K]> }[MatchedTypes<TEvents, TPattern>]

/** Any event of the map. */
export type AnyEvent<TEvents extends EventMap> = EventFor<TEvents, '*'>

/** Per-type Standard Schemas; their outputs type the payloads. */
export type SchemaMap<TEvents extends EventMap> = { [K in keyof TEvents]?: StandardSchemaV1<unknown, TEvents[K]> }

/** A handler. A returned value other than `undefined` becomes the JSON response body (Slack's `url_verification` challenge). */
export type EventHandler<TEvent> = (event: TEvent) => unknown
