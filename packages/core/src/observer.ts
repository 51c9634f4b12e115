import type { WebhookErrorCode } from './errors'

/** What the observer (`onEvent`) hears. Nothing is logged by default. */
export type WebhookObserverEvent =
  | { kind: 'verified'; id: string | undefined; type: string | undefined; scheme: string; durationMs: number }
  | {
      kind: 'rejected'
      code: WebhookErrorCode
      status: number
      message: string
      /** Diagnostics (which check failed, by how much). For logs only, never for the sender. */
      details: Record<string, unknown> | undefined
      id?: string | undefined
      type?: string | undefined
      durationMs: number
    }
  | { kind: 'duplicate' | 'in_flight'; id: string | undefined; type: string | undefined; key: string; durationMs: number }
  | { kind: 'handled'; id: string | undefined; type: string; handlers: number; durationMs: number }
  | { kind: 'unhandled'; id: string | undefined; type: string; durationMs: number }
  | { kind: 'failed'; id: string | undefined; type: string | undefined; error: unknown; status: number; durationMs: number }
  | { kind: 'replay_window_opened'; key: string; remainingMs: number; reason: string }
  | { kind: 'store_error'; operation: 'claim' | 'complete' | 'release'; key: string; error: unknown; failOpen: boolean }

/** Receives {@link WebhookObserverEvent}s; exceptions it throws are swallowed. */
export type WebhookObserver = (event: WebhookObserverEvent) => void

/** Wraps an observer so it can never break a delivery. */
export function safeObserver(observer: WebhookObserver | undefined): WebhookObserver | undefined {
  if (!observer) return undefined
  return (event) => {
    try {
      observer(event)
    } catch {
      // An observer must not change what the provider sees.
    }
  }
}
