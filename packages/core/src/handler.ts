import { defaultCrypto } from '#crypto'
import { type BodySource, rawBodyUnavailable, readBody, toBytes, tooLarge } from './body'
import type { Delivery } from './delivery'
import { toHex, utf8 } from './encoding'
import { WebhookError } from './errors'
import { parsePayload } from './events/parse'
import { Router } from './events/router'
import { type StandardSchemaV1, validatePayload } from './events/schema'
import type { AnyEvent, EventFor, EventHandler, EventMap, EventPattern, SchemaMap, WebhookEvent } from './events/types'
import type { HeadersInput } from './headers'
import { headerGetter } from './headers'
import { safeObserver, type WebhookObserver } from './observer'
import { memoryStore } from './replay/memory-store'
import type { ClaimResult, ReplayStore } from './replay/store'
import { createWebhookVerifier, type WebhookVerifierOptions } from './verifier'

/** Options for {@link createWebhookHandler}: the verifier's, plus the pipeline's. */
export interface WebhookHandlerOptions<TEvents extends EventMap = EventMap> extends WebhookVerifierOptions {
  /**
   * Where handled delivery ids are remembered: consulted only after the signature verified. `false`
   * turns replay protection off. Use a shared store when several processes receive deliveries.
   * @default memoryStore()
   * @example replay: redisStore({ client: new Redis(process.env.REDIS_URL) })
   */
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
  /**
   * Standard Schemas (zod ≥ 3.24, valibot ≥ 1, arktype ≥ 2…) per event type. A payload that fails is
   * 422 `invalid_payload` naming the failing paths (never the values); one that passes reaches the
   * handler as the schema's output. Without an explicit `TEvents`, the schemas' outputs are the
   * event map (so `on()` accepts exactly these types and types their payloads).
   * @example schemas: { 'invoice.paid': z.object({ id: z.string(), amount_paid: z.number() }) }
   */
  schemas?: SchemaMap<TEvents>
  /**
   * Hears every outcome, for logs and metrics: `verified`, then one of `handled`, `unhandled`,
   * `failed`, `duplicate`, `in_flight`, `rejected` (with its `code`); plus `replay_window_opened` and
   * `store_error`. Nothing is logged by default; an observer that throws never changes the answer.
   * @example onEvent: (e) => logger.info(e, `webhook ${e.kind}`)
   */
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

/** What {@link WebhookHandler.dispatch} resolves with. */
export interface DispatchResult {
  /** How many handlers matched the event's type and ran; `0` means unhandled. */
  handlers: number
  /** The last value other than `undefined` a handler returned: what `handle()` would send as JSON. */
  reply: unknown
}

/**
 * A verified delivery as a store kept it, for {@link WebhookHandler.parse}: the fields of the
 * accepted receipt's event, with `body` for `rawBody`.
 */
export interface WebhookRecord {
  /** The event type recorded at intake (`receipt.event.type`). */
  type: string
  /** The exact verified bytes (`receipt.event.rawBody`); never a re-serialised payload. */
  body: Uint8Array | string
  /** The request headers kept with the body; only `content-type` is read, to parse the body as at intake. */
  headers?: HeadersInput | undefined
  /** The provider's delivery id (`receipt.event.id`). */
  id?: string | undefined
  /** The signed Unix timestamp in seconds (`receipt.event.timestamp`). */
  timestamp?: number | undefined
  /** When the delivery was received (ms since the epoch). @default now */
  receivedAt?: number | undefined
  /** The processing attempt, counting from 1. @default 1 */
  attempt?: number | undefined
}

/** How a middleware-style request ended: a status, or the error that was thrown. */
export type SettleOutcome = number | { status: number } | Error | unknown

/** The middleware entry's answer: an accepted event to hand to user code, or a response to send now. */
export type WebhookReceipt<TEvent> =
  | {
      accepted: true
      event: TEvent
      /**
       * The replay key, exactly as core's replay store keys this delivery: `scheme:id`, or for a
       * provider without ids a digest (`scheme:~…`). Computed even with `replay: false`, so a store
       * outside core (a durable inbox) de-duplicates the same way.
       */
      key: string
      /**
       * Call once the response is known: a 2xx status completes the claim (a repeat is then a
       * duplicate); any other status, an `Error` or anything else releases it, so the provider's
       * retry is processed. Only the first call counts.
       */
      settle(outcome: SettleOutcome): Promise<void>
    }
  | { accepted: false; result: WebhookResult; error?: WebhookError }

export interface WebhookHandler<TEvents extends EventMap = EventMap> {
  /**
   * Registers a handler for an exact type (`invoice.paid`), a `prefix.*` wildcard (`invoice.*`,
   * `charge.refund.*`; `orders/*` for slash-separated topics) or `*`. Several handlers may match one
   * delivery; they run one after another in this order:
   * 1. exact matches,
   * 2. then wildcards, the longest prefix first (`charge.refund.*` before `charge.*`),
   * 3. then `*`;
   * ties (the same pattern, or wildcards of equal length) in registration order.
   * The first throw stops the rest and answers 500 (the claim is released for the provider's retry).
   * The last value other than `undefined` that a handler returns becomes the JSON response body
   * (Slack's `url_verification` challenge); otherwise the body is `{"ok":true}`.
   * @example hooks.on('invoice.*', async (event) => { if (event.type === 'invoice.paid') … })
   */
  on<TPattern extends EventPattern<TEvents>>(pattern: TPattern, handler: EventHandler<EventFor<TEvents, TPattern>>): this
  /**
   * Runs the handlers that match `event.type`, outside a request, exactly as `handle()` runs them
   * (the order above; the first throw stops the rest). Resolves with how many ran and the reply
   * (the last value other than `undefined`); rejects with the handler's own error. No replay claim
   * and no observer events: the caller (a queue worker) owns retries and bookkeeping.
   * @example const { handlers } = await hooks.dispatch(await hooks.parse(stored))
   */
  dispatch(event: AnyEvent<TEvents>): Promise<DispatchResult>
  /**
   * Rebuilds the event of a delivery that was verified earlier (stored from an accepted receipt):
   * parses `body` by its content type and applies `schemas`, so handlers get the same payload as
   * in a request. Does **not** verify a signature: pass only bytes that `receive()` accepted.
   * Rejects with `invalid_payload` when the body no longer parses or fails its schema.
   * @example hooks.parse({ type: row.type, id: row.eventId, body: row.body, headers: row.headers, attempt: row.attempts })
   */
  parse(record: WebhookRecord): Promise<AnyEvent<TEvents>>
  /** The whole pipeline for adapters: read, verify, claim, parse, route, settle, answer. */
  handle(request: WebhookRequest): Promise<WebhookResult>
  /** The whole pipeline for WHATWG runtimes (Hono, Bun, Deno, Workers, Next.js). */
  fetch(request: Request): Promise<Response>
  /** Middleware entry: verify + claim and hand the event back; call `settle` once the response is known. */
  receive(request: WebhookRequest): Promise<WebhookReceipt<AnyEvent<TEvents>>>
  /** The largest body this handler reads. */
  readonly maxBodyBytes: number
}

const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
}
const OK_BODY = '{"ok":true}'
const DUPLICATE_BODY = '{"ok":true,"duplicate":true}'

function json(status: number, body: string, extra?: Record<string, string>): WebhookResult {
  return { status, headers: extra ? { ...JSON_HEADERS, ...extra } : { ...JSON_HEADERS }, body }
}

/** The one place a `WebhookError` becomes a response: `{"error":{"code","message"}}`, never `details`. */
export function errorResult(error: WebhookError): WebhookResult {
  const extra: Record<string, string> = {}
  if (error.code === 'method_not_allowed') extra.allow = 'POST'
  const retryAfter = error.details?.retryAfterSeconds
  if (typeof retryAfter === 'number') extra['retry-after'] = String(retryAfter)
  // The unread rest of the body is still on the socket: closing it is the only way not to read it.
  if (error.code === 'body_too_large') extra.connection = 'close'
  return json(error.status, JSON.stringify({ error: error.toJSON() }), extra)
}

function outcomeIsSuccess(outcome: SettleOutcome): boolean {
  if (outcome instanceof Error) return false
  const status = typeof outcome === 'number' ? outcome : (outcome as { status?: unknown } | null | undefined)?.status
  return typeof status === 'number' && status >= 200 && status < 300
}

function outcomeStatus(outcome: SettleOutcome): number {
  const status = typeof outcome === 'number' ? outcome : (outcome as { status?: unknown } | null | undefined)?.status
  return typeof status === 'number' && !(outcome instanceof Error) ? status : 500
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

/** Time allowed for clocks that disagree, on top of the timestamp tolerance. */
const SKEW_MARGIN_SECONDS = 60

/** Unique per claim attempt, across processes: a random per-handler prefix and a counter (cheaper than a UUID per request). */
function tokenSource(): () => string {
  const prefix = globalThis.crypto.randomUUID()
  let seq = 0
  return () => `${prefix}:${(++seq).toString(36)}`
}

/** What a claim needs to be settled. */
interface Claim {
  key: string
  token: string
  ttlMs: number
  settled: boolean
}

/**
 * Creates the framework-agnostic webhook pipeline every adapter wraps: read the body (≤
 * `maxBodyBytes`), verify, parse, validate, claim the delivery id, route, settle, answer.
 *
 * Delivery semantics (the replay store is consulted only after the signature verified):
 * a handler that succeeds completes the claim; one that throws releases it, so the provider's retry
 * is processed (never mistaken for a replay); a repeat of a completed delivery is 200
 * `{"ok":true,"duplicate":true}` (or 409 `duplicate`); a repeat while the first is still running is
 * 409 `in_flight` with `Retry-After`; a failing store is 503 `store_unavailable` unless `failOpen`.
 *
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
  const retentionSeconds = options.retentionSeconds ?? scheme.retentionSeconds ?? 86_400
  if (!Number.isFinite(retentionSeconds) || retentionSeconds <= 0)
    throw new TypeError('@hookguard/core: retentionSeconds must be a positive number')
  const failOpen = options.failOpen === true
  const store: ReplayStore | undefined = options.replay === false ? undefined : (options.replay ?? memoryStore())
  if (store && (typeof store.claim !== 'function' || typeof store.complete !== 'function' || typeof store.release !== 'function')) {
    throw new TypeError('@hookguard/core: replay must be a ReplayStore (claim, complete, release) or false')
  }
  const schemas = (options.schemas ?? {}) as Record<string, StandardSchemaV1 | undefined>
  for (const [type, schema] of Object.entries(schemas)) {
    if (schema !== undefined && typeof schema?.['~standard']?.validate !== 'function') {
      throw new TypeError(`@hookguard/core: schemas['${type}'] is not a Standard Schema (zod ≥ 3.24, valibot ≥ 1, arktype ≥ 2…)`)
    }
  }
  const hasSchemas = Object.keys(schemas).length > 0
  const observe = safeObserver(options.onEvent)
  const now = options.now ?? Date.now
  // A delivery stamped up to `tolerance` in the future is accepted until now + 2×tolerance, so its
  // id must be remembered at least that long for the store to stop what the clock no longer does.
  const timestampedTtlMs = (2 * verifier.toleranceSeconds + SKEW_MARGIN_SECONDS) * 1000
  const untimedTtlMs = retentionSeconds * 1000
  const retryAfterSeconds = Math.max(1, Math.min(60, Math.ceil(leaseMs / 1000)))
  const nextToken = tokenSource()
  const router = new Router<EventHandler<WebhookEvent>>()

  if (observe && store?.observe) {
    store.observe((event) => observe({ kind: event.type, key: event.key, remainingMs: event.remainingMs, reason: event.reason }))
  }

  function replayKey(delivery: Delivery): string | Promise<string> {
    const id = delivery.id
    if (id !== undefined) return `${scheme.name}:${id}`
    // No id (Slack): a digest of what the provider signed for this one delivery (its timestamp and
    // signature; a retry of the same delivery carries both unchanged); else of the body.
    const { timestamp, rawSignature } = delivery.parts
    const material = timestamp !== undefined && rawSignature ? utf8(`${timestamp}.${rawSignature}`) : delivery.rawBody
    const digest = crypto.sha256(material)
    const toKey = (bytes: Uint8Array) => `${scheme.name}:~${toHex(bytes).slice(0, 40)}`
    return digest instanceof Uint8Array ? toKey(digest) : digest.then(toKey)
  }

  function refuse(error: unknown, started: number, id?: string, type?: string): WebhookReceipt<never> & { accepted: false } {
    const known = WebhookError.is(error)
      ? error
      : new WebhookError('internal_error', '@hookguard/core: the delivery could not be processed', { cause: error })
    observe?.({
      kind: 'rejected',
      code: known.code,
      status: known.status,
      message: known.message,
      details: known.details,
      id,
      type,
      durationMs: now() - started,
    })
    return { accepted: false, result: errorResult(known), error: known }
  }

  async function settleClaim(claim: Claim, success: boolean): Promise<void> {
    if (claim.settled || !store) return
    claim.settled = true
    try {
      if (success) await store.complete(claim.key, claim.ttlMs, claim.token)
      else await store.release(claim.key, claim.token)
    } catch (error) {
      // The answer stands: a completed handler is not undone by a store hiccup; an unreleased
      // claim lapses after its lease, and the retry after that is processed.
      observe?.({ kind: 'store_error', operation: success ? 'complete' : 'release', key: claim.key, error, failOpen })
    }
  }

  /** Step 4: the event handlers get, with the type's schema applied (its output replaces the payload). */
  function toEvent(
    type: string,
    payload: unknown,
    meta: Pick<WebhookEvent, 'id' | 'timestamp' | 'rawBody' | 'receivedAt' | 'attempt'>,
  ): WebhookEvent | Promise<WebhookEvent> {
    const build = (value: unknown): WebhookEvent => ({
      id: meta.id,
      type,
      payload: value,
      timestamp: meta.timestamp,
      scheme: scheme.name,
      rawBody: meta.rawBody,
      receivedAt: meta.receivedAt,
      attempt: meta.attempt,
    })
    const schema = hasSchemas ? schemas[type] : undefined
    // Without a schema no promise: the common path stays synchronous.
    return schema ? validatePayload(schema, type, payload).then(build) : build(payload)
  }

  type Admitted = { accepted: true; event: WebhookEvent; claim: Claim | undefined; key: string | undefined }
  type Refused = { accepted: false; result: WebhookResult; error?: WebhookError }

  /** Steps 1–4 of the pipeline: read, verify, parse + validate, claim. `withKey`: compute the replay key even without a store. */
  async function admit(request: WebhookRequest, started: number, withKey: boolean): Promise<Admitted | Refused> {
    let id: string | undefined
    let type: string | undefined
    try {
      if (request.method !== undefined && request.method !== 'POST' && request.method.toUpperCase() !== 'POST') {
        throw new WebhookError('method_not_allowed', `@hookguard/core: webhooks are delivered with POST, not ${request.method}`)
      }
      const source = request.body
      let body: Uint8Array
      if (source instanceof Uint8Array || typeof source === 'string') {
        // Bytes already in memory (most adapters): no stream to read, so no promise to wait for.
        body = typeof source === 'string' ? toBytes(source) : source
        if (body.byteLength > maxBodyBytes) throw tooLarge(maxBodyBytes, body.byteLength)
      } else {
        body = await readBody(source, { maxBodyBytes, contentLength: headerGetter(request.headers)('content-length') })
      }
      const delivery = (await verifier.verify({ headers: request.headers, body })) as Delivery
      id = delivery.parts.id
      const payload = delivery.payload // 422 invalid_payload when the verified body does not parse
      id = delivery.id
      type = delivery.type ?? 'unknown'
      observe?.({ kind: 'verified', id, type, scheme: scheme.name, durationMs: now() - started })
      // Validate before claiming: a payload that fails its schema is refused the same way every time.
      let event = toEvent(type, payload, { id, timestamp: delivery.timestamp, rawBody: delivery.rawBody, receivedAt: started, attempt: 1 })
      if (isThenable(event)) event = await event
      if (!store && !withKey) return { accepted: true, event, claim: undefined, key: undefined }

      let key = replayKey(delivery)
      if (typeof key !== 'string') key = await key
      if (!store) return { accepted: true, event, claim: undefined, key }
      const token = nextToken()
      let claimed: ClaimResult
      try {
        const pending = store.claim(key, leaseMs, token)
        claimed = typeof pending === 'string' ? pending : await pending
      } catch (error) {
        observe?.({ kind: 'store_error', operation: 'claim', key, error, failOpen })
        if (!failOpen) {
          throw new WebhookError('store_unavailable', '@hookguard/core: the replay store is unavailable; retry later', { cause: error })
        }
        // Explicit opt-out: process without replay protection for this delivery.
        return { accepted: true, event, claim: undefined, key }
      }
      if (claimed === 'claimed') {
        const ttlMs = delivery.timestamp !== undefined ? timestampedTtlMs : untimedTtlMs
        return { accepted: true, event, claim: { key, token, ttlMs, settled: false }, key }
      }
      if (claimed === 'duplicate') {
        const status = onDuplicate === 'acknowledge' ? 200 : 409
        observe?.({ kind: 'duplicate', id, type, key, status, durationMs: now() - started })
        if (status === 200) return { accepted: false, result: json(200, DUPLICATE_BODY) }
        const error = new WebhookError('duplicate', '@hookguard/core: this delivery was already handled')
        return { accepted: false, result: errorResult(error), error }
      }
      if (claimed === 'in_flight') {
        observe?.({ kind: 'in_flight', id, type, key, status: 409, retryAfterSeconds, durationMs: now() - started })
        const error = new WebhookError('in_flight', '@hookguard/core: this delivery is being handled right now; retry later', {
          details: { retryAfterSeconds },
        })
        return { accepted: false, result: errorResult(error), error }
      }
      throw new WebhookError(
        'store_unavailable',
        '@hookguard/core: the replay store answered something other than claimed, duplicate or in_flight',
        {
          details: { answer: String(claimed) },
        },
      )
    } catch (error) {
      return refuse(error, started, id, type)
    }
  }

  async function receive(request: WebhookRequest): Promise<WebhookReceipt<WebhookEvent>> {
    const started = now()
    const admitted = await admit(request, started, true)
    if (!admitted.accepted) return admitted
    const { event, claim } = admitted
    let settled = false
    return {
      accepted: true,
      event,
      key: admitted.key as string,
      async settle(outcome) {
        if (settled) return
        settled = true
        const success = outcomeIsSuccess(outcome)
        if (claim) await settleClaim(claim, success)
        if (!observe) return
        const time = now()
        const durationMs = time - started
        const status = outcomeStatus(outcome)
        if (success) observe({ kind: 'handled', id: event.id, type: event.type, handlers: 0, status, durationMs, handlerMs: durationMs })
        else observe({ kind: 'failed', id: event.id, type: event.type, error: outcome, status, durationMs, handlerMs: durationMs })
      },
    }
  }

  /** Step 5, the one routing implementation: `handle()` and `dispatch()` both run handlers here. */
  function dispatch(event: WebhookEvent): Promise<DispatchResult> {
    if (typeof event?.type !== 'string')
      return Promise.reject(new TypeError('@hookguard/core: dispatch() needs an event with a string type'))
    return router.dispatch(event)
  }

  async function parse(record: WebhookRecord): Promise<WebhookEvent> {
    if (typeof record?.type !== 'string' || record.type === '') throw new TypeError('@hookguard/core: parse() needs the stored event type')
    const rawBody = toBytes(record.body)
    const contentType = record.headers === undefined ? undefined : headerGetter(record.headers)('content-type')
    return toEvent(record.type, parsePayload(rawBody, contentType), {
      id: record.id,
      timestamp: record.timestamp,
      rawBody,
      receivedAt: record.receivedAt ?? now(),
      attempt: record.attempt ?? 1,
    })
  }

  async function handle(request: WebhookRequest): Promise<WebhookResult> {
    const started = now()
    const admitted = await admit(request, started, false)
    if (!admitted.accepted) return admitted.result
    const { event, claim } = admitted
    const handlerStarted = observe ? now() : 0
    let dispatched: DispatchResult
    let body: string
    try {
      dispatched = await dispatch(event)
      // Serialised before settling: a reply that cannot be sent is a failure, and the retry must be processed.
      body = dispatched.reply === undefined ? OK_BODY : (JSON.stringify(dispatched.reply) ?? OK_BODY)
    } catch (error) {
      if (claim) await settleClaim(claim, false)
      if (observe) {
        const time = now()
        observe({
          kind: 'failed',
          id: event.id,
          type: event.type,
          error,
          status: 500,
          durationMs: time - started,
          handlerMs: time - handlerStarted,
        })
      }
      // The handler's message may hold anything (including secrets): it goes to the observer only.
      return errorResult(new WebhookError('handler_failed', '@hookguard/core: the handler failed; the delivery was released for a retry'))
    }
    if (dispatched.handlers === 0) {
      const status = onUnhandled === 'reject' ? 501 : 200
      if (claim) await settleClaim(claim, status === 200)
      observe?.({ kind: 'unhandled', id: event.id, type: event.type, status, durationMs: now() - started })
      if (status === 200) return json(200, OK_BODY)
      return errorResult(new WebhookError('unhandled_event', `@hookguard/core: no handler for ${event.type}`))
    }
    if (claim) await settleClaim(claim, true)
    if (observe) {
      const time = now()
      observe({
        kind: 'handled',
        id: event.id,
        type: event.type,
        handlers: dispatched.handlers,
        status: 200,
        durationMs: time - started,
        handlerMs: time - handlerStarted,
      })
    }
    return json(200, body)
  }

  const handler: WebhookHandler<TEvents> = {
    maxBodyBytes,
    on(pattern, fn) {
      router.add(pattern, fn as EventHandler<WebhookEvent>)
      return handler
    },
    handle,
    receive: receive as WebhookHandler<TEvents>['receive'],
    dispatch: dispatch as WebhookHandler<TEvents>['dispatch'],
    parse: parse as WebhookHandler<TEvents>['parse'],
    async fetch(request: Request): Promise<Response> {
      const result = request.bodyUsed
        ? refuse(rawBodyUnavailable('the Request body was already read'), now()).result
        : await handle({ method: request.method, headers: request.headers, body: request.body })
      return new Response(result.body, { status: result.status, headers: result.headers })
    },
  }
  return handler
}
