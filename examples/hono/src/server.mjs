import { serve } from '@hono/node-server'
import { createApp } from './app.mjs'

const secret = process.env.GITHUB_WEBHOOK_SECRET ?? 'dev-secret'
const { app } = createApp({ secret })
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}/webhooks/github`)
})
