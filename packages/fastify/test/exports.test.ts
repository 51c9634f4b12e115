import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@hookguard/fastify')).sort()).toMatchInlineSnapshot(`
    [
      "hookguard",
      "sendResult",
      "toWebhookRequest",
      "verifyWebhook",
    ]
  `)
})
