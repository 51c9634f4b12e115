import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { sign } from '@hookguard/core'
import pino from 'pino'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createWebhookServer } from '../src/server'

const secret = 'whsec_example_pino_secret'
const lines: Array<Record<string, any>> = []
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line))
    done()
  },
})
const server = createWebhookServer({ secret, logger: pino({ level: 'info' }, sink) })
let url = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

async function post(event: object, tamper = false) {
  const body = JSON.stringify(event)
  const headers = await sign({ scheme: 'stripe', secret, body })
  return fetch(url, { method: 'POST', headers, body: tamper ? `${body} ` : body })
}
const outcomes = () => lines.filter((l) => l.component === 'webhooks')

it('logs one line per delivery outcome with id, type, status and timings', async () => {
  const paid = { id: 'evt_pino_1', type: 'invoice.paid', data: { object: { amount_paid: 990 } } }
  expect((await post(paid)).status).toBe(200)
  expect((await post(paid)).status).toBe(200)
  expect((await post({ id: 'evt_pino_2', type: 'invoice.payment_failed' })).status).toBe(500)
  expect((await post({ id: 'evt_pino_3', type: 'invoice.paid' }, true)).status).toBe(401)
  await new Promise((resolve) => setImmediate(resolve))

  expect(outcomes().map((l) => [l.level, l.kind])).toEqual([
    [30, 'handled'],
    [30, 'duplicate'],
    [50, 'failed'],
    [40, 'rejected'],
  ])
  expect(outcomes()[0]).toMatchObject({ id: 'evt_pino_1', type: 'invoice.paid', status: 200, msg: 'webhook handled' })
  expect(outcomes()[0]?.durationMs).toBeGreaterThanOrEqual(0)
  expect(outcomes()[1]).toMatchObject({ key: 'stripe:evt_pino_1', status: 200 })
  expect(outcomes()[2]).toMatchObject({ id: 'evt_pino_2', err: { type: 'Error', message: 'billing service unavailable' } })
  expect(outcomes()[3]).toMatchObject({ code: 'signature_mismatch', status: 401, details: { scheme: 'stripe' } })
  // The handler's own line sits between hookguard's, and the secret is never logged.
  expect(lines.some((l) => l.msg === 'invoice paid' && l.amount === 990)).toBe(true)
  expect(JSON.stringify(lines)).not.toContain(secret)
})
