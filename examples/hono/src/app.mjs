import { createWebhookHandler } from '@hookguard/core'
import { webhookHandler } from '@hookguard/hono'
import { Hono } from 'hono'

/** The app, runtime-neutral: `export default app` works as-is on Bun, Deno and Cloudflare Workers. */
export function createApp({ secret, log = console.log }) {
  const hooks = createWebhookHandler({ scheme: 'github', secret })
  const seen = []
  hooks.on('issues.opened', (event) => {
    seen.push(event.id)
    log(`issue #${event.payload.issue.number} opened: ${event.payload.issue.title}`)
  })
  hooks.on('ping', () => log('GitHub says hello'))

  const app = new Hono()
  app.post('/webhooks/github', webhookHandler(hooks))
  app.get('/', (c) => c.text('POST GitHub webhooks to /webhooks/github'))
  return { app, seen }
}
