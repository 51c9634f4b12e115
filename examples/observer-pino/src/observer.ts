import type { WebhookObserver, WebhookObserverEvent } from '@hookguard/core'
import type { Logger } from 'pino'

type Level = 'debug' | 'info' | 'warn' | 'error'

// Outcomes that need a person are warn/error; routine traffic is info; the per-request
// "signature ok" step is debug so production logs carry one line per delivery.
const LEVELS: Record<WebhookObserverEvent['kind'], Level> = {
  verified: 'debug',
  handled: 'info',
  unhandled: 'info',
  duplicate: 'info',
  in_flight: 'warn',
  rejected: 'warn',
  failed: 'error',
  replay_window_opened: 'warn',
  store_error: 'error',
}

/**
 * An `onEvent` observer that writes each hookguard outcome as one structured pino line:
 * `{ kind, id, type, code, status, durationMs, … }`. Errors go under `err`, so pino's standard
 * serializer records their message and stack. hookguard's events carry no secrets and no payloads.
 * @example createWebhookHandler({ scheme: 'stripe', secret, onEvent: pinoObserver(logger) })
 */
export function pinoObserver(logger: Logger): WebhookObserver {
  const log = logger.child({ component: 'webhooks' })
  return (event) => {
    const level = LEVELS[event.kind]
    if (!log.isLevelEnabled(level)) return
    if ('error' in event) {
      const { error, ...fields } = event
      log[level]({ ...fields, err: error }, `webhook ${event.kind}`)
    } else {
      log[level](event, `webhook ${event.kind}`)
    }
  }
}
