/** What the inbox's observer (`onEvent`) hears. Nothing is logged by default. */
export type InboxObserverEvent =
  /** A delivery was stored durably and acknowledged with 202. */
  | { kind: 'enqueue'; id: string; type: string; durationMs: number }
  /** A delivery already stored was acknowledged with 200 `duplicate` and not stored again. */
  | { kind: 'duplicate'; id: string; type: string; durationMs: number }
  /** A worker starts attempt `attempt` (1-based). */
  | { kind: 'attempt'; id: string; type: string; attempt: number }
  | { kind: 'success'; id: string; type: string; attempt: number; durationMs: number }
  /** No handler matched; completed (`onUnhandled: 'complete'`). */
  | { kind: 'unhandled'; id: string; type: string }
  /** The attempt failed; the delivery is due again at `retryAt`. */
  | { kind: 'retry'; id: string; type: string; attempt: number; error: unknown; retryAt: number }
  /** The last attempt failed: dead-lettered with the error, until `retry()`. */
  | { kind: 'dead'; id: string; type: string; attempt: number; error: unknown }
  /** The attempt ended after its claim was lost (lease ended, or released at shutdown): its result was not recorded. */
  | { kind: 'lease_lost'; id: string; type: string; attempt: number }
  | {
      kind: 'store_error'
      operation: 'enqueue' | 'claim' | 'extend' | 'complete' | 'fail' | 'release' | 'run'
      id?: string
      error: unknown
    }

/** Receives {@link InboxObserverEvent}s; exceptions it throws are swallowed. */
export type InboxObserver = (event: InboxObserverEvent) => void

export function safeInboxObserver(observer: InboxObserver | undefined): InboxObserver | undefined {
  if (!observer) return undefined
  return (event) => {
    try {
      observer(event)
    } catch {
      // An observer must never change what the provider sees or stop a worker.
    }
  }
}
