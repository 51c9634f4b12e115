import {
  type AnyEvent,
  type BodySource,
  type EventFor,
  type EventHandler,
  type EventMap,
  type EventPattern,
  errorResult,
  headerGetter,
  WebhookError,
  type WebhookEvent,
  type WebhookHandler,
  type WebhookReceipt,
  type WebhookRequest,
  type WebhookResult,
} from '@hookguard/core'
import { type BackoffOptions, backoffDelay } from './backoff'
import { keptHeaders } from './intake'
import { type InboxObserver, safeInboxObserver } from './observer'
import { type ClaimedDelivery, errorText, type InboxStats, type InboxStore, type RetryTarget } from './store'

/** What an inbox worker adds to the event it dispatches: the key to make side effects idempotent. */
export interface InboxEventInfo {
  /**
   * The inbox's unique key for this delivery: core's replay key (`receipt.key`), `scheme:providerId`,
   * or `scheme:~digest` for a delivery without an id. Stable across attempts.
   */
  readonly deliveryId: string
}

/** A handler as {@link Inbox.on} types it: the core event (with `attempt` counting from 1) plus {@link InboxEventInfo}. */
export type InboxHandler<TEvent> = (event: TEvent & InboxEventInfo) => unknown

/** Options for {@link createInbox}. */
export interface InboxOptions<TEvents extends EventMap = EventMap> {
  /** Where deliveries are kept: `sqliteStore()` from `@hookguard/inbox/sqlite` or `postgresStore()` from `@hookguard/inbox/postgres`. Call its `migrate()` first. */
  store: InboxStore
  /**
   * The core handler (`createWebhookHandler({ ..., replay: false })`): its `receive()` verifies in the
   * request; workers rebuild each stored event with its `parse()` (re-applying `schemas`) and run the
   * handlers registered with `hooks.on()` through its `dispatch()`.
   */
  handlers: WebhookHandler<TEvents>
  /** Attempts before a delivery is dead-lettered (with the default backoff, 15 attempts span ~1.5–3 hours). @default 15 */
  maxAttempts?: number
  /** The retry schedule (exponential, with jitter). @default { baseMs: 1000, maxMs: 3_600_000, factor: 2 } */
  backoff?: BackoffOptions
  /** Replaces the schedule: the delay (ms) after failed attempt `attempt`. */
  retryDelay?: (attempt: number) => number
  /** How long a worker's claim lasts without a heartbeat; a crashed worker's deliveries return after it. @default 60_000 */
  leaseMs?: number
  /** A delivery no handler matches: `complete` (like core's `onUnhandled: 'acknowledge'`) or `dead` (kept for a retry once a handler exists). @default 'complete' */
  onUnhandled?: 'complete' | 'dead'
  /**
   * Request headers stored with each delivery (lower-case). Signature and token headers are never
   * worth storing: the delivery is verified before it is written.
   * @default content-type, user-agent and the providers' id, event, timestamp and retry headers
   */
  keepHeaders?: readonly string[]
  /** Hears enqueue / duplicate / attempt / success / retry / dead and store errors. */
  onEvent?: InboxObserver
  /** The clock (ms). @default Date.now */
  now?: () => number
}

/** Options for {@link Inbox.start}. */
export interface StartOptions {
  /** Deliveries processed at once by this process. @default 4 */
  concurrency?: number
  /** How often an idle worker looks for due deliveries (a local enqueue wakes it at once). @default 1_000 */
  pollIntervalMs?: number
}

/** Options for {@link Inbox.stop}. */
export interface StopOptions {
  /** How long running handlers may take to finish before their deliveries are handed back. @default 30_000 */
  deadlineMs?: number
}

export interface Inbox<TEvents extends EventMap = EventMap> {
  /**
   * `hooks.on(pattern, handler)`: registers on the core handler (one router, core's order), with the
   * handler's event typed to include {@link InboxEventInfo.deliveryId}, which workers set.
   */
  on<TPattern extends EventPattern<TEvents>>(pattern: TPattern, handler: InboxHandler<EventFor<TEvents, TPattern>>): this
  /** `hooks.dispatch(event)`: runs the matching handlers now, in this process (what a worker does after `parse`). */
  dispatch: WebhookHandler<TEvents>['dispatch']
  /** `hooks.parse(record)`: a stored delivery back to its event, with `schemas` re-applied. */
  parse: WebhookHandler<TEvents>['parse']
  /** For adapters, like `hooks.handle`: verify, store durably, then answer 202 `{ accepted: true }` (or 200 duplicate). */
  handle(request: WebhookRequest): Promise<WebhookResult>
  /** For WHATWG runtimes, like `hooks.fetch`. */
  fetch(request: Request): Promise<Response>
  /**
   * The middleware entry, shaped like `hooks.receive` so middleware-style adapters mount the inbox
   * too. Never hands an event to the route: the inbox answers every request itself (202, 200
   * duplicate, or the refusal), so the receipt is always `accepted: false` with the result to send.
   */
  receive(request: WebhookRequest): Promise<WebhookReceipt<never>>
  /** Starts workers in this process. */
  start(options?: StartOptions): void
  /** Stops claiming, waits for running handlers up to the deadline, then hands the rest back to the queue. */
  stop(options?: StopOptions): Promise<{ finished: number; released: number }>
  /** Processes every delivery due now, then resolves with how many were attempted (cron jobs, tests). */
  drain(options?: { concurrency?: number }): Promise<number>
  stats(): Promise<InboxStats>
  /** Re-queues one delivery (dead or waiting) or every dead one, due now, with a fresh attempt budget. */
  retry(target: RetryTarget): Promise<number>
  /** Deletes done and dead deliveries older than `olderThanMs`. Done rows are also the de-duplication memory: keep them longer than providers retry. */
  purge(olderThanMs: number): Promise<number>
  readonly store: InboxStore
  readonly maxBodyBytes: number
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
const ACCEPTED: WebhookResult = { status: 202, headers: JSON_HEADERS, body: '{"accepted":true}' }
const DUPLICATE: WebhookResult = { status: 200, headers: JSON_HEADERS, body: '{"ok":true,"duplicate":true}' }
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
// The marker core's body reader refuses with raw_body_unavailable ("already read").
const USED_BODY = { bodyUsed: true } as unknown as BodySource

/**
 * Acknowledge fast, process durably: the request only verifies and stores; workers run the handlers
 * with retries, leases and a dead letter. See the README's semantics table.
 * @example
 * const hooks = createWebhookHandler({ scheme: 'stripe', secret, replay: false })
 * const inbox = createInbox({ store: sqliteStore('inbox.db'), handlers: hooks })
 * hooks.on('invoice.paid', async (event) => fulfil(event.id, event.payload)) // run by the workers
 * inbox.start({ concurrency: 4 })
 */
export function createInbox<TEvents extends EventMap = EventMap>(options: InboxOptions<TEvents>): Inbox<TEvents> {
  const { store, handlers: hooks } = options
  if (!store || typeof store.enqueue !== 'function' || typeof store.claim !== 'function')
    throw new TypeError('@hookguard/inbox: store must be an InboxStore (sqliteStore() or postgresStore())')
  if (!hooks || typeof hooks.receive !== 'function' || typeof hooks.dispatch !== 'function' || typeof hooks.parse !== 'function')
    throw new TypeError('@hookguard/inbox: handlers must be a handler from createWebhookHandler() (@hookguard/core of the same version)')
  const maxAttempts = options.maxAttempts ?? 15
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new TypeError('@hookguard/inbox: maxAttempts must be a whole number ≥ 1')
  const leaseMs = options.leaseMs ?? 60_000
  if (!Number.isFinite(leaseMs) || leaseMs < 10) throw new TypeError('@hookguard/inbox: leaseMs must be a number of ms ≥ 10')
  const onUnhandled = options.onUnhandled ?? 'complete'
  if (onUnhandled !== 'complete' && onUnhandled !== 'dead')
    throw new TypeError("@hookguard/inbox: onUnhandled must be 'complete' or 'dead'")
  const retryDelay = options.retryDelay ?? ((attempt: number) => backoffDelay(attempt, options.backoff))
  const keep = keptHeaders(options.keepHeaders)
  const now = options.now ?? Date.now
  const observe = safeInboxObserver(options.onEvent)

  async function handle(request: WebhookRequest): Promise<WebhookResult> {
    const receipt = await hooks.receive(request)
    if (!receipt.accepted) return receipt.result
    // Core's replay key: the inbox de-duplicates exactly as core's own replay store would.
    const { event, settle, key: id } = receipt
    const get = headerGetter(request.headers)
    const headers: Record<string, string> = {}
    for (const name of keep) {
      const value = get(name)
      if (value !== undefined) headers[name] = value
    }
    let outcome: 'enqueued' | 'duplicate'
    try {
      outcome = await store.enqueue(
        {
          id,
          scheme: event.scheme,
          type: event.type,
          eventId: event.id,
          timestamp: event.timestamp,
          headers,
          body: event.rawBody,
          receivedAt: event.receivedAt,
        },
        now(),
      )
    } catch (error) {
      // Not stored, so not acknowledged: release core's claim (if any) so the provider's retry is taken.
      await settle(error instanceof Error ? error : new Error(String(error)))
      observe?.({ kind: 'store_error', operation: 'enqueue', id, error })
      return errorResult(
        new WebhookError('store_unavailable', '@hookguard/inbox: the delivery could not be stored; retry later', { cause: error }),
      )
    }
    // Durable now: settle core's claim (a no-op with `replay: false`) before answering.
    await settle(200)
    const durationMs = now() - event.receivedAt
    if (outcome === 'duplicate') {
      observe?.({ kind: 'duplicate', id, type: event.type, durationMs })
      return { ...DUPLICATE, headers: { ...JSON_HEADERS } }
    }
    observe?.({ kind: 'enqueue', id, type: event.type, durationMs })
    wake()
    return { ...ACCEPTED, headers: { ...JSON_HEADERS } }
  }

  /** The stored delivery back to the event handlers get in a request: core parses it and re-applies `schemas`. */
  async function toEvent(delivery: ClaimedDelivery): Promise<WebhookEvent & InboxEventInfo> {
    const event = await hooks.parse({
      type: delivery.type,
      id: delivery.eventId,
      timestamp: delivery.timestamp,
      headers: delivery.headers,
      body: delivery.body,
      receivedAt: delivery.receivedAt,
      attempt: delivery.attempts,
    })
    return { ...(event as WebhookEvent), deliveryId: delivery.id }
  }

  /** One attempt: run the handlers, then settle the row with the claim's token. */
  async function run(delivery: ClaimedDelivery): Promise<void> {
    const { id, type, token, attempts: attempt } = delivery
    const started = now()
    const settle = async (operation: 'complete' | 'fail', action: () => Promise<boolean>) => {
      try {
        if (!(await action())) observe?.({ kind: 'lease_lost', id, type, attempt })
      } catch (error) {
        // The row stays leased; when the lease ends another attempt runs (at-least-once).
        observe?.({ kind: 'store_error', operation, id, error })
      }
    }
    if (attempt > maxAttempts) {
      // A worker died (or hung past its lease) during the last allowed attempt.
      const error = `the lease ended during attempt ${attempt - 1} (the worker stopped mid-handler)${delivery.lastError ? `; last error: ${delivery.lastError}` : ''}`
      await settle('fail', () => store.fail(id, token, error, undefined, now()))
      observe?.({ kind: 'dead', id, type, attempt: attempt - 1, error: new Error(error) })
      return
    }
    observe?.({ kind: 'attempt', id, type, attempt })
    // The heartbeat keeps a long handler's lease, so only a dead worker's deliveries are taken over.
    const heartbeat = setInterval(
      () => {
        store.extend(id, token, now() + leaseMs, now()).catch((error) => observe?.({ kind: 'store_error', operation: 'extend', id, error }))
      },
      Math.max(5, Math.floor(leaseMs / 3)),
    )
    try {
      // Core runs the handlers registered with hooks.on(), in its order; a throw rejects here.
      const { handlers } = await hooks.dispatch((await toEvent(delivery)) as AnyEvent<TEvents>)
      if (handlers === 0 && onUnhandled === 'dead') throw new Error(`no handler is registered for ${type}`)
      clearInterval(heartbeat)
      await settle('complete', () => store.complete(id, token, now()))
      observe?.(handlers === 0 ? { kind: 'unhandled', id, type } : { kind: 'success', id, type, attempt, durationMs: now() - started })
    } catch (error) {
      clearInterval(heartbeat)
      const message = errorText(error)
      if (attempt >= maxAttempts) {
        await settle('fail', () => store.fail(id, token, message, undefined, now()))
        observe?.({ kind: 'dead', id, type, attempt, error })
      } else {
        const retryAt = now() + Math.max(0, retryDelay(attempt))
        await settle('fail', () => store.fail(id, token, message, retryAt, now()))
        observe?.({ kind: 'retry', id, type, attempt, error, retryAt })
      }
    }
  }

  // ── workers ─────────────────────────────────────────────────────────────────────────────────
  const active = new Map<string, { delivery: ClaimedDelivery; done: Promise<void> }>()
  let running = false
  let loop: Promise<void> | undefined
  let signal: (() => void) | undefined

  function wake() {
    signal?.()
  }

  /** Sleeps until a task ends, a local enqueue, stop(), or the poll interval. */
  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        signal = undefined
        resolve()
      }
      signal = done
    })
  }

  function launch(delivery: ClaimedDelivery) {
    const done = run(delivery)
      .catch((error) => observe?.({ kind: 'store_error', operation: 'run', id: delivery.id, error }))
      .finally(() => {
        active.delete(delivery.id)
        wake()
      })
    active.set(delivery.id, { delivery, done })
  }

  async function work(concurrency: number, pollIntervalMs: number) {
    while (running) {
      const free = concurrency - active.size
      let claimed: ClaimedDelivery[] = []
      if (free > 0) {
        try {
          claimed = await store.claim(free, leaseMs, now())
        } catch (error) {
          observe?.({ kind: 'store_error', operation: 'claim', error })
        }
        if (!running) {
          // stop() began while we were claiming: hand these straight back.
          await Promise.all(claimed.map((d) => store.release(d.id, d.token, now()).catch(() => false)))
          return
        }
        for (const delivery of claimed) launch(delivery)
        if (claimed.length === free) {
          // SQLite answers synchronously and quick handlers settle in microtasks: without this turn
          // of the event loop a long backlog would starve the HTTP intake (and providers time out).
          await turn()
          continue
        }
      }
      await idle(pollIntervalMs)
    }
  }

  const inbox: Inbox<TEvents> = {
    store,
    maxBodyBytes: hooks.maxBodyBytes,
    on(pattern, fn) {
      // One router: the core handler's. The cast only widens the event type by `deliveryId`, which workers set.
      hooks.on(pattern, fn as EventHandler<EventFor<TEvents, typeof pattern>>)
      return inbox
    },
    dispatch: (event) => hooks.dispatch(event),
    parse: (record) => hooks.parse(record),
    handle,
    async receive(request) {
      return { accepted: false, result: await handle(request) }
    },
    async fetch(request: Request): Promise<Response> {
      const result = await handle({ method: request.method, headers: request.headers, body: request.bodyUsed ? USED_BODY : request.body })
      return new Response(result.body, { status: result.status, headers: result.headers })
    },
    start(startOptions: StartOptions = {}) {
      if (running) throw new Error('@hookguard/inbox: the workers are already running; stop() them first')
      const concurrency = startOptions.concurrency ?? 4
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError('@hookguard/inbox: concurrency must be a whole number ≥ 1')
      const pollIntervalMs = startOptions.pollIntervalMs ?? 1_000
      running = true
      loop = work(concurrency, pollIntervalMs)
    },
    async stop(stopOptions: StopOptions = {}) {
      const deadlineMs = stopOptions.deadlineMs ?? 30_000
      running = false
      wake()
      await loop
      loop = undefined
      const tasks = [...active.values()]
      let timer: ReturnType<typeof setTimeout> | undefined
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deadlineMs)
      })
      await Promise.race([Promise.all(tasks.map((t) => t.done)), deadline])
      clearTimeout(timer)
      let released = 0
      const late = [...active.values()]
      for (const { delivery } of late) {
        // Still running past the deadline: hand it back now rather than wait for its lease to end.
        // If its handler does finish later, complete() sees the lost token (observer: lease_lost).
        try {
          if (await store.release(delivery.id, delivery.token, now())) released++
        } catch (error) {
          observe?.({ kind: 'store_error', operation: 'release', id: delivery.id, error })
        }
      }
      return { finished: tasks.length - late.length, released }
    },
    async drain(drainOptions = {}) {
      const concurrency = drainOptions.concurrency ?? 1
      let attempted = 0
      for (;;) {
        const batch = await store.claim(concurrency, leaseMs, now())
        if (batch.length === 0) return attempted
        attempted += batch.length
        await Promise.all(batch.map(run))
        await turn()
      }
    },
    stats: () => store.stats(now()),
    retry: (target) => store.retry(target, now()),
    purge: (olderThanMs) => store.purge(now() - olderThanMs),
  }
  return inbox
}
