import { expect, it } from 'vitest'

it('exports exactly these names from @hookguard/core (a rename is a conscious change)', async () => {
  expect(Object.keys(await import('@hookguard/core')).sort()).toMatchInlineSnapshot(`
    [
      "SCHEME_NAMES",
      "WEBHOOK_ERROR_STATUS",
      "WebhookError",
      "createWebhookHandler",
      "createWebhookVerifier",
      "errorResult",
      "github",
      "headerGetter",
      "hmac",
      "memoryStore",
      "parsePayload",
      "readBody",
      "resolveScheme",
      "settleOnFinish",
      "shopify",
      "sign",
      "slack",
      "standardWebhooks",
      "statusForCode",
      "stripe",
      "toBytes",
      "token",
      "withRawBodyHint",
    ]
  `)
})
