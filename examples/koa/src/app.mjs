import { createWebhookHandler } from '@hookguard/core'
import { verifyWebhook, webhookHandler } from '@hookguard/koa'
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import Koa from 'koa'

export function createApp({ secret, log = console.log }) {
  // Endpoint style: hookguard answers, your `on()` handlers do the work.
  const github = createWebhookHandler({ scheme: 'github', secret })
  github.on('issues.opened', (event) => log(`issue #${event.payload.issue.number} opened`))

  // Middleware style: hookguard verifies and claims, your middleware answers (2xx completes the claim).
  const releases = createWebhookHandler({ scheme: 'github', secret })

  const router = new Router()
  router.all('/webhooks/github', webhookHandler(github))
  router.post('/webhooks/releases', verifyWebhook(releases), (ctx) => {
    log(`release event ${ctx.state.webhook.type}`)
    ctx.body = { ok: true }
  })
  router.post('/api/echo', (ctx) => {
    ctx.body = ctx.request.body
  })

  const app = new Koa()
  // A body parser in front of everything is fine: @koa/bodyparser keeps ctx.request.rawBody, which hookguard verifies.
  app.use(bodyParser())
  app.use(router.routes())
  return app
}
