import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@hookguard/koa')).sort()).toMatchInlineSnapshot(`
    [
      "sendResult",
      "toWebhookRequest",
      "verifyWebhook",
      "webhookHandler",
    ]
  `)
})
