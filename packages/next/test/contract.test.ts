import { getRequestListener } from '@hono/node-server'
import { webhookApiRoute, webhookRoute, withWebhook } from '@hookguard/next'
import { describeAdapterContract, listen } from '@hookguard/testkit'

// The shared adapter contract over real HTTP. App Router handlers are `(Request) => Response`; Next's server
// turns Node's request into that Request (aborting `request.signal` when the sender hangs up) and writes the
// Response back. @hono/node-server's getRequestListener does the same conversion, so the contract runs in
// milliseconds here; examples/next-app proves the same handlers under real `next start`.
describeAdapterContract('next App Router webhookRoute', {
  style: 'endpoint',
  start: async (hooks) => listen(getRequestListener(webhookRoute(hooks))),
})

describeAdapterContract('next App Router withWebhook', {
  style: 'middleware',
  start: async (hooks, route) =>
    listen(
      getRequestListener(
        withWebhook(hooks, async (event) => {
          const reply = await route(event)
          return Response.json(reply.body, { status: reply.status })
        }),
      ),
    ),
})

// Next's Pages Router hands API routes the Node request and response themselves (body parser off).
describeAdapterContract('next Pages Router webhookApiRoute', {
  style: 'endpoint',
  start: async (hooks) => {
    const route = webhookApiRoute(hooks)
    return listen((req, res) => void route(req, res))
  },
})
