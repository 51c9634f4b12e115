import { verifyWebhook, webhookHandler } from '@hookguard/express'
import { describeAdapterContract, listen } from '@hookguard/testkit'
import express5 from 'express'
import express4 from 'express4'

for (const [major, express] of [
  ['express 5', express5],
  ['express 4', express4],
] as const) {
  describeAdapterContract(major, {
    style: 'endpoint',
    start: async (hooks) => {
      const app = express()
      app.all('/webhooks', webhookHandler(hooks))
      return listen(app)
    },
  })

  describeAdapterContract(major, {
    style: 'middleware',
    start: async (hooks, route) => {
      const app = express()
      // Express 4 does not catch async errors: pass them to next() the way its users do.
      app.all('/webhooks', verifyWebhook(hooks), (req, res, next) => {
        route(req.webhook).then((reply) => res.status(reply.status).json(reply.body), next)
      })
      return listen(app)
    },
  })
}
