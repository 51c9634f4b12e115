import defaultCrypto from '#crypto'
import { type BodySource, readBody } from './body'
import type { Delivery } from './delivery'
import { toHex, utf8 } from './encoding'
import { WebhookError } from './errors'
import { Router } from './events/router'
import { type StandardSchemaV1, validatePayload } from './events/schema'
import type { AnyEvent, EventFor, EventHandler, EventMap, EventPattern, SchemaMap, WebhookEvent } from './events/types'
import type { HeadersInput } from './headers'
import { headerGetter } from './headers'
import { safeObserver, type WebhookObserver } from './observer'
import { memoryStore } from './replay/memory-store'
import type { ReplayStore } from './replay/store'
import { createWebhookVerifier, type WebhookVerifierOptions } from './verifier'

/** Options for {@link createWebhookHandler}: the verifier's, plus the pipeline's. */
export interface WebhookHandlerOptions<TEvents extends EventMap = EventMap> extends WebhookVerifierOptions {
  /** Where handled ids are remembered. `false` turns replay protection off. @default memoryStore() */
  replay?: ReplayStore | false
  /** A repeat of a handled delivery: 200 `{ duplicate: true }` (the provider stops) or 409 `duplicate`. @default 'acknowledge' */
  onDuplicate?: 'acknowledge' | 'reject'
  /** A verified event with no handler: 200 (acknowledged, observable) or 501 `unhandled_event` (the provider retries). @default 'acknowledge' */
  onUnhandled?: 'acknowledge' | 'reject'
  /** Largest body read; more is 413 `body_too_large` without buffering it. @default 1_048_576 */
  maxBodyBytes?: number
  /** How long a claim holds before a retry may take over (a crashed process's deliveries come back). @default 60_000 */
  leaseMs?: number
  /** How long handled ids are kept for schemes that sign no timestamp (GitHub, Shopify). @default the scheme's, 86400 */
  retentionSeconds?: number
  /** When the replay store fails, process anyway (at the risk of a double) instead of 503. @default false */
  failOpen?: boolean
  /** Standard Schemas (zod, valibot, arktype…) per event type; failures are 422 `invalid_payload`. */
  schemas?: SchemaMap<TEvents>
  /** Hears every outcome, for logs and metrics. */
  onEvent?: WebhookObserver
}

/** What adapters pass to {@link WebhookHandler.handle}. */
export interface WebhookRequest {
  /** When given, anything but POST is 405. */
  method?: string | undefined
  headers: HeadersInput
  /** Raw bytes, a Node readable or a WHATWG stream; read up to `maxBodyBytes`. */
  body: BodySource
}

/** What adapters send back: a status, headers and a JSON body. */
export interface WebhookResult {
  status: number
  headers: Record<string, string>
  body: string
}

/** How a middleware-style request ended: a status, or the error that was thrown. */
export type SettleOutcome = number | { status: number } | Error | unknown

/** The middleware entry's answer: an accepted event to hand to user code, or a response to send now. */
export type WebhookReceipt<TEvent> =
  | {
      accepted: true
      event: TEvent
      /** Call once the response is known: 2xx completes the claim; anything else (or an error) releases it. */
      settle(outcome: SettleOutcome): Promise<void>
    }
  | { accepted: false; result: WebhookResult; error?: WebhookError }

export interface WebhookHandler<TEvents extends EventMap = EventMap> {
  /** Registers a handler for a type, a `prefix.*` wildcard or `*`. Several may match; see the README for the order. */
  on<TPattern extends EventPattern<TEvents>>(pattern: TPattern, handler: EventHandler<EventFor<TEvents, TPattern>>): this
  /** The whole pipeline for adapters: read, verify, claim, parse, route, settle, answer. */
  handle(request: WebhookRequest): Promise<WebhookResult>
  /** The whole pipeline for WHATWG runtimes (Hono, Bun, Deno, Workers, Next.js). */
  fetch(request: Request): Promise<Response>
  /** Middleware entry: verify + claim and hand the event back; call `settle` once the response is known. */
  receive(request: WebhookRequest): Promise<WebhookReceipt<AnyEvent<TEvents>>>
  /** The largest body this handler reads. */
  readonly maxBodyBytes: number
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
const OK_BODY = '{"ok":true}'

function json(status: number, body: string, extra?: Record<string, string>): WebhookResult {
  return { status, headers: extra ? { ...JSON_HEADERS, ...extra } : { ...JSON_HEADERS }, body }
}

/** The one place a `WebhookError` becomes a response. */
export function errorResult(error: WebhookError): WebhookResult {
  const extra: Record<string, string> = {}
  if (error.code === 'method_not_allowed') extra.allow = 'POST'
  const retryAfter = error.details?.retryAfterSeconds
  if (typeof retryAfter === 'number') extra['retry-after'] = String(retryAfter)
  if (error.code === 'body_too_large') extra.connection = 'close'
  return json(error.status, JSON.stringify({ error: error.toJSON() }), extra)
}

function outcomeIsSuccess(outcome: SettleOutcome): boolean {
  const status = typeof outcome === 'number' ? outcome : (outcome as { status?: unknown })?.status
  if (outcome instanceof Error) return false
  return typeof status === 'number' && status >= 200 && status < 300
}

const SKEW_MARGIN_SECONDS = 60

/**
 * Creates the framework-agnostic webhook pipeline every adapter wraps.
 * @example
 * const hooks = createWebhookHandler<{ 'invoice.paid': Invoice }>({ scheme: 'stripe', secret })
 * hooks.on('invoice.paid', async (event) => { event.payload.amount_paid })
 */
export function createWebhookHandler<TEvents extends EventMap = EventMap>(
  options: WebhookHandlerOptions<TEvents>,
): WebhookHandler<TEvents> {
  const verifier = createWebhookVerifier(options)
  const scheme = verifier.scheme
  const crypto = options.crypto ?? defaultCrypto
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) throw new TypeError('@hookguard/core: maxBodyBytes must be a whole number ≥ 0')
  const leaseMs = options.leaseMs ?? 60_000
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new TypeError('@hookguard/core: leaseMs must be a positive number')
  const onDuplicate = options.onDuplicate ?? 'acknowledge'
  const onUnhandled = options.onUnhandled ?? 'acknowledge'
  if (onDuplicate !== 'acknowledge' && onDuplicate !== 'reject')
    throw new TypeError("@hookguard/core: onDuplicate must be 'acknowledge' or 'reject'")
  if (onUnhandled !== 'acknowledge' && onUnhandled !== 'reject')
    throw new TypeError("@hookguard/core: onUnhandled must be 'acknowledge' or 'reject'")
  const failOpen = options.failOpen === true
  const store: ReplayStore | undefined = options.replay === false ? undefined : (options.replay ?? memoryStore())
  if (store && (typeof store.claim !== 'function' || typeof store.complete !== 'function' || typeof store.release !== 'function')) {
    throw new TypeError('@hookguard/core: replay must be a ReplayStore (claim, complete, release) or false')
  }
  const schemas = (options.schemas ?? {}) as Record<string, StandardSchemaV1 | undefined>
  const observe = safeObserver(options.onEvent)
  const now = options.now ?? Date.now
  // A delivery stamped up to `tolerance` in the future is accepted until now + 2×tolerance, so its
  // id must be remembered at least that long for the store to stop what the clock no longer does.
  const completedTtlMs = (delivery: Delivery) =>
    delivery.timestamp !== undefined
      ? (2 * verifier.toleranceSeconds + SKEW_MARGIN_SECONDS) * 1000
      : (options.retentionSeconds ?? scheme.retentionSeconds ?? 86_400) * 1000
  const retryAfterSeconds = Math.max(1, Math.min(60, Math.ceil(leaseMs / 1000)))
  const router = new Router<EventHandler<WebhookEvent>>()

  if (observe && store?.observe) {
    store.observe((event) => observe({ kind: event.type, key: event.key, remainingMs: event.remainingMs, reason: event.reason }))
  }

  async function replayKey(delivery: Delivery): Promise<string> {
    const id = delivery.id
    if (id !== undefined) return `${scheme.name}:${id}`
    // No id (Slack): a digest of what the provider signed for this delivery; else of the body.
    const { timestamp, rawSignature } = delivery.parts
    const material = timestamp !== undefined && rawSignature ? utf8(`${timestamp}.${rawSignature}`) : delivery.rawBody
    return `${scheme.name}:~${toHex(await crypto.sha256(material)).slice(0, 40)}`
  }

  function reject(error: unknown, started: number, delivery?: Delivery): WebhookReceipt<never> {
    const known = WebhookError.is(error)
      ? error
      : new WebhookError('internal_error', '@hookguard/core: the delivery could not be processed', { cause: error })
    observe?.({
      kind: 'rejected',
      code: known.code,
      status: known.status,
      message: known.message,
      details: known.details,
      id: delivery?.parts.id,
      durationMs: now() - started,
    })
    return { accepted: false, result: errorResult(known), error: known }
  }

  async function receive(request: WebhookRequest): Promise<WebhookReceipt<WebhookEvent>> {
    const started = now()
    let delivery: Delivery | undefined
    try {
      if (request.method !== undefined && request.method.toUpperCase() !== 'POST') {
        throw new WebhookError('method_not_allowed', `@hookguard/core: webhooks are delivered with POST, not ${request.method}`)
      }
      const get = headerGetter(request.headers)
      const body = await readBody(request.body, { maxBodyBytes, contentLength: get('content-length') })
      delivery = (await verifier.verify({ headers: request.headers, body })) as Delivery
      // Parse (and validate) before claiming: a body that cannot parse is refused the same way every time.
      const payload = delivery.payload
      const type = delivery.type ?? 'unknown'
      const schema = schemas[type]
      const value = schema ? await validatePayload(schema, type, payload) : payload
      const id = delivery.id
      observe?.({ kind: 'verified', id, type, scheme: scheme.name, durationMs: now() - started })
      const event: WebhookEvent = {
        id,
        type,
        payload: value,
        timestamp: delivery.timestamp,
        scheme: scheme.name,
        rawBody: delivery.rawBody,
        receivedAt: started,
        attempt: 1,
      }
      if (!store) return { accepted: true, event, settle: async () => {} }

      const key = await replayKey(delivery)
      const token = globalThis.crypto.randomUUID()
      let claimed = true
      try {
        const result = await store.claim(key, leaseMs, token)
        if (result === 'duplicate') {
          observe?.({ kind: 'duplicate', id, type, key, durationMs: now() - started })
          if (onDuplicate === 'acknowledge') return { accepted: false, result: json(200, '{"ok":true,"duplicate":true}') }
          throw new WebhookError('duplicate', '@hookguard/core: this delivery was already handled')
        }
        if (result === 'in_flight') {
          observe?.({ kind: 'in_flight', id, type, key, durationMs: now() - started })
          throw new WebhookError('in_flight', '@hookguard/core: this delivery is being handled right now; retry later', {
            details: { retryAfterSeconds },
          })
        }
      } catch (error) {
        if (WebhookError.is(error)) throw error
        observe?.({ kind: 'store_error', operation: 'claim', key, error, failOpen })
        if (!failOpen) {
          throw new WebhookError('store_unavailable', '@hookguard/core: the replay store is unavailable; retry later', { cause: error })
        }
        claimed = false
      }
      let settled = false
      const ttlMs = completedTtlMs(delivery)
      return {
        accepted: true,
        event,
        async settle(outcome) {
          if (settled || !claimed) return
          settled = true
          const success = outcomeIsSuccess(outcome)
          try {
            if (success) await store.complete(key, ttlMs, token)
            else await store.release(key, token)
          } catch (error) {
            // The answer stands: a completed handler is not undone by a store hiccup; an unreleased
            // claim lapses after its lease, and the retry after that is processed.
            observe?.({ kind: 'store_error', operation: success ? 'complete' : 'release', key, error, failOpen })
          }
        },
      }
    } catch (error) {
      return reject(error, started, delivery)
    }
  }

  async function handle(request: WebhookRequest): Promise<WebhookResult> {
    const receipt = await receive(request)
    if (!receipt.accepted) return receipt.result
    const { event, settle } = receipt
    const handlers = router.match(event.type)
    const started = event.receivedAt
    if (handlers.length === 0) {
      observe?.({ kind: 'unhandled', id: event.id, type: event.type, durationMs: now() - started })
      if (onUnhandled === 'reject') {
        await settle(501)
        return errorResult(new WebhookError('unhandled_event', `@hookguard/core: no handler for ${event.type}`))
      }
      await settle(200)
      return json(200, OK_BODY)
    }
    let reply: unknown
    try {
      for (const handler of handlers) {
        const value = await handler(event)
        if (value !== undefined) reply = value
      }
    } catch (error) {
      await settle(error instanceof Error ? error : new Error(String(error)))
      observe?.({ kind: 'failed', id: event.id, type: event.type, error, status: 500, durationMs: now() - started })
      // The handler's message may hold anything (including secrets): it goes to the observer only.
      return errorResult(new WebhookError('handler_failed', '@hookguard/core: the handler failed; the delivery was released for a retry'))
    }
    await settle(200)
    observe?.({ kind: 'handled', id: event.id, type: event.type, handlers: handlers.length, durationMs: now() - started })
    return json(200, reply === undefined ? OK_BODY : JSON.stringify(reply))
  }

  const handler: WebhookHandler<TEvents> = {
    maxBodyBytes,
    on(pattern, fn) {
      router.add(pattern, fn as EventHandler<WebhookEvent>)
      return handler
    },
    handle,
    receive: receive as WebhookHandler<TEvents>['receive'],
    async fetch(request: Request): Promise<Response> {
      const result = await handle({
        method: request.method,
        headers: request.headers,
        body: request.bodyUsed ? USED_BODY : request.body,
      })
      return new Response(result.status === 204 ? null : result.body, { status: result.status, headers: result.headers })
    },
  }
  return handler
}

// A marker that toBytes() refuses with raw_body_unavailable ("already read").
const USED_BODY = { bodyUsed: true } as unknown as BodySource
