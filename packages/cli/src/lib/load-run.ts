import { type SchemeName, sign } from '@hookguard/core'
import { UsageError } from './errors'
import { type PostResult, post } from './post'
import { percentile, roundMs } from './stats'

/** Options for {@link runLoad}. */
export interface LoadRunOptions {
  /** The receiver to POST to. */
  url: string
  scheme: SchemeName
  secret: string
  /** The body template. When the scheme reads the delivery id from the body (Stripe) or has none (Slack), each delivery gets its own `id` field, so it must be a JSON object. */
  body: Uint8Array
  /** Event type for schemes that send it in a header. */
  type?: string
  /** Unique deliveries to send. */
  count: number
  /** Requests in flight at once. @default 10 */
  concurrency?: number
  /** Percentage of the unique deliveries sent a second time, right after their first answer. @default 0 */
  duplicatesPercent?: number
  /** Per-request timeout. @default 10_000 */
  timeoutMs?: number
  /** Extra headers sent with every request. */
  headers?: ReadonlyArray<readonly [string, string]>
  /** Called after each answer, for a progress display. */
  onProgress?: (done: number, total: number) => void
}

/** What {@link runLoad} measured. */
export interface LoadRunSummary {
  url: string
  scheme: SchemeName
  /** Unique deliveries sent. */
  unique: number
  /** All requests, duplicates included. */
  requests: number
  durationMs: number
  requestsPerSecond: number
  /** How many answers had each status; `0` means no answer (network error or timeout). */
  statuses: Record<string, number>
  /** How many answers had each hookguard code (`ok`, `duplicate`, `signature_mismatch`…). */
  codes: Record<string, number>
  /** The histogram by status and code together, most frequent first. */
  answers: Array<{ status: number; code: string; count: number }>
  latencyMs: { p50: number; p95: number; p99: number; max: number }
  duplicates: {
    sent: number
    /** Answered as already handled: a 2xx that says `duplicate`, or a 409 (`duplicate` / `in_flight`). */
    acknowledged: number
    /** Answered with a plain 2xx: the receiver processed the delivery a second time. */
    reprocessed: number
    /** No answer, or any other status. */
    failed: number
  }
  /** Unique deliveries not answered with a 2xx, plus failed duplicates. */
  failures: number
  /** No failures and no re-processed duplicates. */
  ok: boolean
}

interface Signed {
  headers: Record<string, string>
  body: Uint8Array
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Makes a signer that gives every delivery its own id, wherever the scheme keeps it. */
async function deliveryFactory(options: LoadRunOptions, runId: string): Promise<(n: number) => Promise<Signed>> {
  const extra = Object.fromEntries(options.headers ?? [])
  const signWith = async (id: string, body: Uint8Array): Promise<Signed> => {
    const headers = await sign({
      scheme: options.scheme,
      secret: options.secret,
      body,
      id,
      ...(options.type ? { type: options.type } : {}),
    })
    return { headers: { ...headers, ...extra }, body }
  }
  // Schemes that send the id in a header echo it back from sign(); the others (Stripe reads the
  // event's `id`, Slack and plain tokens have none) key replays on the body, so the id goes there.
  const probe = await signWith('hookguard-probe-id', options.body)
  const idInHeaders = Object.values(probe.headers).includes('hookguard-probe-id')
  if (idInHeaders) return (n) => signWith(`${runId}-${n}`, options.body)
  let template: unknown
  try {
    template = JSON.parse(decoder.decode(options.body))
  } catch {
    template = undefined
  }
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new UsageError(
      `hookguard: the ${options.scheme} scheme identifies a delivery by its body, so a load run needs a JSON object body (it sets "id" per delivery)`,
    )
  }
  return (n) => {
    const id = `${runId}-${n}`
    return signWith(id, encoder.encode(JSON.stringify({ ...template, id })))
  }
}

function isDuplicateSpot(index: number, percent: number): boolean {
  // Spread the duplicates evenly: exactly floor(count × percent / 100) of them, deterministic.
  return Math.floor(((index + 1) * percent) / 100) > Math.floor((index * percent) / 100)
}

/**
 * A signed load run: `count` unique deliveries through `concurrency` workers; `duplicatesPercent`
 * of them are sent again (the same signed request) right after their first answer, the way a
 * provider's retry or a replay reaches the receiver.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadRunSummary> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 10, options.count))
  const percent = options.duplicatesPercent ?? 0
  const timeoutMs = options.timeoutMs ?? 10_000
  const duplicateTotal = Math.floor((options.count * percent) / 100)
  const total = options.count + duplicateTotal
  const next = await deliveryFactory(options, `hg-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`)

  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const codes: Record<string, number> = {}
  const answers = new Map<string, { status: number; code: string; count: number }>()
  const duplicates = { sent: 0, acknowledged: 0, reprocessed: 0, failed: 0 }
  let failures = 0
  let done = 0
  const record = (result: PostResult) => {
    latencies.push(result.latencyMs)
    statuses[result.status] = (statuses[result.status] ?? 0) + 1
    codes[result.code] = (codes[result.code] ?? 0) + 1
    const key = `${result.status} ${result.code}`
    const answer = answers.get(key)
    if (answer) answer.count++
    else answers.set(key, { status: result.status, code: result.code, count: 1 })
    done++
    options.onProgress?.(done, total)
  }

  let cursor = 0
  const started = performance.now()
  // A fixed pool of workers over one counter: at most `concurrency` requests in flight.
  const worker = async () => {
    while (cursor < options.count) {
      const index = cursor++
      const delivery = await next(index)
      const first = await post(options.url, delivery.headers, delivery.body, timeoutMs)
      record(first)
      if (first.status < 200 || first.status >= 300) failures++
      if (!isDuplicateSpot(index, percent)) continue
      const again = await post(options.url, delivery.headers, delivery.body, timeoutMs)
      record(again)
      duplicates.sent++
      if (again.status === 409 || (again.duplicate && again.status >= 200 && again.status < 300)) duplicates.acknowledged++
      else if (again.status >= 200 && again.status < 300) duplicates.reprocessed++
      else {
        duplicates.failed++
        failures++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const durationMs = performance.now() - started
  latencies.sort((a, b) => a - b)
  return {
    url: options.url,
    scheme: options.scheme,
    unique: options.count,
    requests: done,
    durationMs: roundMs(durationMs),
    requestsPerSecond: Math.round((done / durationMs) * 1000),
    statuses,
    codes,
    answers: [...answers.values()].sort((a, b) => b.count - a.count || a.status - b.status),
    latencyMs: {
      p50: roundMs(percentile(latencies, 50)),
      p95: roundMs(percentile(latencies, 95)),
      p99: roundMs(percentile(latencies, 99)),
      max: roundMs(latencies.at(-1) ?? 0),
    },
    duplicates,
    failures,
    ok: failures === 0 && duplicates.reprocessed === 0,
  }
}
