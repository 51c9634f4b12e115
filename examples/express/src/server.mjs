import { createApp } from './app.mjs'

const port = Number(process.env.PORT ?? 3000)
const app = createApp({
  stripeSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_dev',
  ordersSecret: process.env.ORDERS_WEBHOOK_SECRET ?? `whsec_${Buffer.from('dev-orders-secret').toString('base64')}`,
})
app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port} (POST /webhooks/stripe, /webhooks/orders)`))
