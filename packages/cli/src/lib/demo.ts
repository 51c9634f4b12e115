import type { AddressInfo } from 'node:net'
import { createWebhookHandler, memoryStore, sign } from '@hookguard/core'
import { post } from './post'

/** Options for {@link runDemo}. */
export interface DemoOptions {
  /** A timestamped scheme to demonstrate. @default 'standard-webhooks' */
  scheme?: 'standard-webhooks' | 'stripe' | 'slack'
  /** Called once the receiver listens, with its URL. */
  onListening?: (url: string) => void
}

/** One scripted delivery and what the receiver did with it. */
export interface DemoRow {
  scenario: string
  /** What a hookguard receiver is expected to answer. */
  expected: { status: number; code: string; handlerRuns: number }
  status: number
  code: string
  /** How often the handler has run for this delivery's id so far. */
  handlerRuns: number
  /** Status, code and handler runs all as expected. */
  asExpected: boolean
  /** One line on what it shows. */
  note: string
}

/** The demo's outcome. */
export interface DemoReport {
  url: string
  scheme: string
  rows: DemoRow[]
  ok: boolean
}

interface Scenario {
  scenario: string
  note: string
  expected: DemoRow['expected']
  id: string
  request: () => Promise<{ headers: Record<string, string>; body: Uint8Array }>
}

const MAX_BODY_BYTES = 64 * 1024
const encoder = new TextEncoder()

function randomSecret(scheme: string): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24))
  return scheme === 'slack' ? Buffer.from(bytes).toString('hex') : `whsec_${Buffer.from(bytes).toString('base64')}`
}

/**
 * The README's demo: an Express receiver on 127.0.0.1 (port 0) with `@hookguard/express` and the
 * in-memory replay store, and a scripted set of deliveries that shows each protection at work.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const scheme = options.scheme ?? 'standard-webhooks'
  const secret = randomSecret(scheme)
  const runs = new Map<string, number>()

  const hooks = createWebhookHandler({ scheme, secret, replay: memoryStore(), maxBodyBytes: MAX_BODY_BYTES })
  hooks.on('*', (event) => {
    const payload = event.payload as { id: string; flaky?: boolean }
    const count = (runs.get(payload.id) ?? 0) + 1
    runs.set(payload.id, count)
    // The first attempt of a "flaky" delivery fails, as a handler does when its database blips.
    if (payload.flaky && count === 1) throw new Error('simulated outage')
  })
  // Loaded here, not at the top: only the demo needs Express, and `sign`/`verify` should start fast.
  const { default: express } = await import('express')
  const { webhookHandler } = await import('@hookguard/express')
  const app = express()
  app.all('/webhooks', webhookHandler(hooks))
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`
  options.onListening?.(url)

  const now = () => Math.floor(Date.now() / 1000)
  const payload = (id: string, extra: Record<string, unknown> = {}) =>
    encoder.encode(JSON.stringify({ id, type: 'invoice.paid', data: { invoice: `in_${id}`, amount_paid: 4200 }, ...extra }))
  const signed = async (id: string, body: Uint8Array, overrides: { secret?: string; timestamp?: number } = {}) => ({
    headers: await sign({ scheme, secret: overrides.secret ?? secret, body, id, timestamp: overrides.timestamp ?? now() }),
    body,
  })
  // The replayed request must be byte-for-byte the first one, as an attacker or a retrying proxy sends it.
  const valid = await signed('evt_1', payload('evt_1'))
  const flaky = await signed('evt_flaky', payload('evt_flaky', { flaky: true }))

  const scenarios: Scenario[] = [
    {
      scenario: 'valid delivery',
      note: 'verified, claimed, handled',
      expected: { status: 200, code: 'ok', handlerRuns: 1 },
      id: 'evt_1',
      request: async () => valid,
    },
    {
      scenario: 'replay of the handled delivery',
      note: 'acknowledged, handler not run again',
      expected: { status: 200, code: 'duplicate', handlerRuns: 1 },
      id: 'evt_1',
      request: async () => valid,
    },
    {
      scenario: 'tampered body',
      note: 'amount changed after signing',
      expected: { status: 401, code: 'signature_mismatch', handlerRuns: 0 },
      id: 'evt_2',
      request: async () => {
        const original = await signed('evt_2', payload('evt_2'))
        return { headers: original.headers, body: encoder.encode(new TextDecoder().decode(original.body).replace('4200', '999999')) }
      },
    },
    {
      scenario: 'wrong secret',
      note: 'signed by someone else',
      expected: { status: 401, code: 'signature_mismatch', handlerRuns: 0 },
      id: 'evt_3',
      request: () => signed('evt_3', payload('evt_3'), { secret: randomSecret(scheme) }),
    },
    {
      scenario: 'stale timestamp (10 min old)',
      note: 'a captured delivery replayed later',
      expected: { status: 401, code: 'timestamp_expired', handlerRuns: 0 },
      id: 'evt_4',
      request: () => signed('evt_4', payload('evt_4'), { timestamp: now() - 600 }),
    },
    {
      scenario: 'future timestamp (10 min ahead)',
      note: "sender's clock is off",
      expected: { status: 401, code: 'timestamp_in_future', handlerRuns: 0 },
      id: 'evt_5',
      request: () => signed('evt_5', payload('evt_5'), { timestamp: now() + 600 }),
    },
    {
      scenario: 'no signature headers',
      note: 'not from the provider',
      expected: { status: 400, code: 'missing_header', handlerRuns: 0 },
      id: 'evt_6',
      request: async () => ({ headers: { 'content-type': 'application/json' }, body: payload('evt_6') }),
    },
    {
      scenario: 'handler fails (1st attempt)',
      note: 'claim released for the retry',
      expected: { status: 500, code: 'handler_failed', handlerRuns: 1 },
      id: 'evt_flaky',
      request: async () => flaky,
    },
    {
      scenario: 'provider retries it',
      note: 'handled on the retry',
      expected: { status: 200, code: 'ok', handlerRuns: 2 },
      id: 'evt_flaky',
      request: async () => flaky,
    },
    {
      scenario: `oversized body (256 KiB > ${MAX_BODY_BYTES / 1024} KiB)`,
      note: 'refused before reading it',
      expected: { status: 413, code: 'body_too_large', handlerRuns: 0 },
      id: 'evt_7',
      request: () => signed('evt_7', payload('evt_7', { padding: 'x'.repeat(256 * 1024) })),
    },
  ]

  const rows: DemoRow[] = []
  try {
    for (const s of scenarios) {
      const { headers, body } = await s.request()
      const result = await post(url, headers, body, 10_000)
      const handlerRuns = runs.get(s.id) ?? 0
      const asExpected = result.status === s.expected.status && result.code === s.expected.code && handlerRuns === s.expected.handlerRuns
      rows.push({
        scenario: s.scenario,
        expected: s.expected,
        status: result.status,
        code: result.code,
        handlerRuns,
        asExpected,
        note: s.note,
      })
    }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { url, scheme, rows, ok: rows.every((r) => r.asExpected) }
}
