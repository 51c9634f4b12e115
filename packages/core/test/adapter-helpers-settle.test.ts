// settleOnFinish: the one place a Node response settles a middleware-style claim (Express, Koa, Fastify).
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebhookHandler, type SettleOutcome, settleOnFinish, sign } from '@hookguard/core'
import { afterEach, describe, expect, it } from 'vitest'

let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

/** A real server whose route registers settleOnFinish, then lets `answer` respond (or not). */
async function serve(answer: (res: ServerResponse) => void) {
  const outcomes: SettleOutcome[] = []
  let settled!: () => void
  const done = new Promise<void>((resolve) => (settled = resolve))
  server = createServer((_req, res) => {
    settleOnFinish(res, (outcome) => {
      outcomes.push(outcome)
      settled()
    })
    answer(res)
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, outcomes, done }
}

describe('settleOnFinish', () => {
  it.each([200, 204, 500])('settles with the status sent (%i), once', async (status) => {
    const { url, outcomes, done } = await serve((res) => {
      res.statusCode = status
      res.end('x')
    })
    expect((await fetch(url, { method: 'POST' })).status).toBe(status)
    await done
    // 'close' follows 'finish' on a finished response: it must not settle again.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(outcomes).toEqual([status])
  })

  it('settles with an Error when the connection closes before the response is sent', async () => {
    const { url, outcomes, done } = await serve(() => {})
    const abort = new AbortController()
    const sent = fetch(url, { method: 'POST', body: 'x', signal: abort.signal }).catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 50))
    abort.abort()
    await sent
    await done
    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]).toBeInstanceOf(Error)
    expect((outcomes[0] as Error).message).toMatch(/^@hookguard\/core: the connection closed before the response was sent/)
  })

  it('completes a real claim on 2xx and releases it on a close, with receipt.settle passed as is', async () => {
    const secret = 'settle-secret'
    const hooks = createWebhookHandler({ scheme: 'github', secret })
    const body = '{"zen":"ok"}'
    const headers = await sign({ scheme: 'github', secret, body, id: 'settle-1', type: 'ping' })
    const receipt = await hooks.receive({ method: 'POST', headers, body })
    if (!receipt.accepted) throw new Error(`not accepted: ${receipt.result.body}`)
    const listeners: Record<string, () => void> = {}
    const res = { statusCode: 503, writableFinished: false, once: (event: string, fn: () => void) => (listeners[event] = fn) }
    settleOnFinish(res, receipt.settle)
    listeners.close?.() // the sender went away: released, so the retry is processed
    await new Promise((resolve) => setTimeout(resolve, 0))
    const retry = await hooks.receive({ method: 'POST', headers, body })
    expect(retry.accepted).toBe(true)
  })
})
