import type { WebhookErrorCode } from './errors'

/**
 * What the observer (`onEvent`) hears. Nothing is logged by default.
 *
 * Every delivery that reaches the handler ends in exactly one terminal event: `handled`,
 * `unhandled`, `failed`, `duplicate`, `in_flight` or `rejected`. A delivery whose signature checked
 * out and whose body parsed is first announced as `verified` (before schema validation and the
 * replay claim). `replay_window_opened` and `store_error` report the replay
 * store. `durationMs` counts from the moment the request reached hookguard; `handlerMs` is the time
 * spent in your `on()` handlers.
 */
export type WebhookObserverEvent =
  | { kind: 'verified'; id: string | undefined; type: string; scheme: string; durationMs: number }
  | {
      kind: 'rejected'
      code: WebhookErrorCode
      status: number
      message: string
      /** Diagnostics (which check failed, by how much). For logs only, never for the sender. */
      details: Record<string, unknown> | undefined
      /** Known once the signature verified and the body parsed. */
      id?: string | undefined
      type?: string | undefined
      durationMs: number
    }
  | {
      /** A repeat of a completed delivery (`status` 200 acknowledged, 409 with `onDuplicate: 'reject'`). */
      kind: 'duplicate'
      id: string | undefined
      type: string
      key: string
      status: number
      durationMs: number
    }
  | {
      /** A repeat that arrived while the first was still being handled: 409 with Retry-After. */
      kind: 'in_flight'
      id: string | undefined
      type: string
      key: string
      status: number
      retryAfterSeconds: number
      durationMs: number
    }
  | { kind: 'handled'; id: string | undefined; type: string; handlers: number; status: number; durationMs: number; handlerMs: number }
  | { kind: 'unhandled'; id: string | undefined; type: string; status: number; durationMs: number }
  | {
      /** A handler threw (or, via `receive()`, the route answered ≥ 400): the claim was released for the retry. */
      kind: 'failed'
      id: string | undefined
      type: string
      error: unknown
      status: number
      durationMs: number
      handlerMs: number
    }
  | {
      /** The store dropped a live record early (memoryStore `maxEntries`): a replay of `key` would no longer be caught. */
      kind: 'replay_window_opened'
      key: string
      remainingMs: number
      reason: string
    }
  | { kind: 'store_error'; operation: 'claim' | 'complete' | 'release'; key: string; error: unknown; failOpen: boolean }

/** Receives {@link WebhookObserverEvent}s; whatever it throws (or rejects with) is swallowed. */
export type WebhookObserver = (event: WebhookObserverEvent) => unknown

const ignore = () => {}

/** Wraps an observer so it can never change a delivery's answer (nor crash the process). */
export function safeObserver(observer: WebhookObserver | undefined): WebhookObserver | undefined {
  if (!observer) return undefined
  if (typeof observer !== 'function') throw new TypeError('@hookguard/core: onEvent must be a function')
  return (event) => {
    try {
      const result = observer(event)
      // An async observer's rejection would otherwise be an unhandled rejection (fatal on Node ≥ 15).
      if (result !== undefined && typeof (result as PromiseLike<unknown>)?.then === 'function') {
        ;(result as PromiseLike<unknown>).then(undefined, ignore)
      }
    } catch {
      // An observer must not change what the provider sees.
    }
  }
}
