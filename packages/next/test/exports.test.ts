import { expect, it } from 'vitest'

it('exports a deliberate set of names', async () => {
  expect(Object.keys(await import('@hookguard/next')).sort()).toMatchInlineSnapshot(`
    [
      "BODY_PARSER_CONFIG",
      "webhookApiRoute",
      "webhookRoute",
      "withWebhook",
    ]
  `)
})
