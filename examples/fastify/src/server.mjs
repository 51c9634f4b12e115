import { createApp } from './app.mjs'

const port = Number(process.env.PORT ?? 3000)
const app = createApp({ secret: process.env.WEBHOOK_SECRET ?? `whsec_${Buffer.from('dev-secret').toString('base64')}` })
await app.listen({ port, host: '127.0.0.1' })
console.log(`listening on http://127.0.0.1:${port} (POST /webhooks/users, /webhooks/billing)`)
