import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@hookguard/express')).sort()).toMatchInlineSnapshot(`
    [
      "keepRawBody",
      "sendResult",
      "toWebhookRequest",
      "verifyWebhook",
      "webhookHandler",
    ]
  `)
})
