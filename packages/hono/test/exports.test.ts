import { expect, it } from 'vitest'

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('@hookguard/hono')).sort()).toMatchInlineSnapshot(`
    [
      "verifyWebhook",
      "webhookHandler",
    ]
  `)
})
