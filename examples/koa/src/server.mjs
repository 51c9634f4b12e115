import { createApp } from './app.mjs'

const port = Number(process.env.PORT ?? 3000)
createApp({ secret: process.env.GITHUB_WEBHOOK_SECRET ?? 'dev-secret' }).listen(port, '127.0.0.1', () =>
  console.log(`listening on http://127.0.0.1:${port} (POST /webhooks/github, /webhooks/releases)`),
)
