import { hookguard } from '@hookguard/fastify'
import { describeAdapterContract } from '@hookguard/testkit'
import fastify5 from 'fastify'
import fastify4 from 'fastify4'

for (const [major, fastify] of [
  ['fastify 5', fastify5],
  ['fastify 4', fastify4],
] as const) {
  const listen = async (app: ReturnType<typeof fastify>) => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    return { url: `${address}/webhooks`, close: () => app.close() }
  }

  describeAdapterContract(major, {
    style: 'endpoint',
    start: async (hooks) => {
      const app = fastify({ forceCloseConnections: true })
      app.register(hookguard, { hooks, path: '/webhooks' })
      return listen(app)
    },
  })

  describeAdapterContract(major, {
    style: 'middleware',
    start: async (hooks, route) => {
      const app = fastify({ forceCloseConnections: true })
      app.register(hookguard, {
        hooks,
        path: '/webhooks',
        handler: async (request, reply) => {
          const { status, body } = await route(request.webhook)
          return reply.code(status).send(body)
        },
      })
      return listen(app)
    },
  })
}
