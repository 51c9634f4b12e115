import { sign } from '@hookguard/core'
import { expect, it } from 'vitest'
// @ts-expect-error plain ESM example
import { createApp } from '../src/app.mjs'

const secret = `whsec_${Buffer.from('example-secret').toString('base64')}`

it('receives signed deliveries in both styles over real HTTP, next to a JSON API', async () => {
  const lines: string[] = []
  const app = createApp({ secret, log: (line: string) => lines.push(line) })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    const user = JSON.stringify({ type: 'user.created', data: { email: 'ada@example.com' } })
    const users = await fetch(`${base}/webhooks/users`, {
      method: 'POST',
      headers: await sign({ scheme: 'standard-webhooks', secret, body: user }),
      body: user,
    })
    expect(users.status).toBe(200)

    const invoice = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1' } })
    const billing = await fetch(`${base}/webhooks/billing`, {
      method: 'POST',
      headers: await sign({ scheme: 'standard-webhooks', secret, body: invoice }),
      body: invoice,
    })
    expect(billing.status).toBe(200)
    expect(lines).toEqual(['welcome ada@example.com', 'billing event invoice.paid'])

    const echo = await fetch(`${base}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(await echo.json()).toEqual({ a: 1 })
  } finally {
    await app.close()
  }
})
