import { verifyWebhook, webhookHandler } from '@hookguard/koa'
import { describeAdapterContract, listen } from '@hookguard/testkit'
import Router from '@koa/router'
import Koa3 from 'koa'
import Koa2 from 'koa2'

for (const [major, Koa] of [
  ['koa 3', Koa3],
  ['koa 2', Koa2],
] as const) {
  const appWith = (router: Router) => {
    const app = new Koa()
    app.silent = true // the contract throws on purpose; keep the output clean
    app.use(router.routes())
    return app
  }

  describeAdapterContract(major, {
    style: 'endpoint',
    start: async (hooks) => listen(appWith(new Router().all('/webhooks', webhookHandler(hooks))).callback()),
  })

  describeAdapterContract(major, {
    style: 'middleware',
    start: async (hooks, route) => {
      const router = new Router().all('/webhooks', verifyWebhook(hooks), async (ctx) => {
        const { status, body } = await route(ctx.state.webhook)
        ctx.status = status
        ctx.body = body
      })
      return listen(appWith(router).callback())
    },
  })
}
