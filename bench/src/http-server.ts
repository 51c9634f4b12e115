// A real server for the HTTP bench, in its own process so the load generator never shares its
// event loop: `http-server.ts <node|express|fastify|koa> <hookguard|hand>`. It listens on
// 127.0.0.1:0 and reports its port over IPC (or `{ error }` when it cannot be built).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebhookHandler, type WebhookHandler } from '@hookguard/core'
import { SECRETS } from './fixtures'
import { rawNodeCheck } from './limits'

export type Framework = 'node' | 'express' | 'fastify' | 'koa'
export type Mode = 'hookguard' | 'hand' | 'hand-parse'
export const PATH = '/webhook'
const OK = '{"ok":true}'
const scheme = 'standard-webhooks'

// The hand-written check: raw body + one HMAC compare, the same code as the bench's limit.
// `hand-parse` also JSON.parses the body, as any handler that reads the event must.
const hmacCheck = rawNodeCheck(scheme)
const mode = process.argv[3] as Mode
const check = (headers: Headers, body: Buffer): boolean => {
  if (!hmacCheck(headers, body)) return false
  if (mode === 'hand-parse') JSON.parse(body.toString('utf8'))
  return true
}
type Headers = Record<string, string>

function createHooks(): WebhookHandler {
  const hooks = createWebhookHandler({ scheme, secret: SECRETS[scheme] })
  hooks.on('invoice.paid', () => {})
  return hooks
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Imports an adapter package, naming what is missing when it is not built yet. */
async function adapter(name: string): Promise<Record<string, any>> {
  try {
    return (await import(name)) as Record<string, any>
  } catch (error) {
    throw new Error(`${name} is not importable (${(error as Error).message.split('\n')[0]})`)
  }
}

function pick(mod: Record<string, any>, name: string, candidates: string[]): (...args: any[]) => any {
  for (const key of candidates) if (typeof mod[key] === 'function') return mod[key]
  throw new Error(`${name} exports none of ${candidates.join(', ')} (it has ${Object.keys(mod).join(', ')})`)
}

async function nodeServer(mode: Mode): Promise<Server> {
  if (mode !== 'hookguard') {
    return createServer(async (req, res) => {
      const body = await readAll(req)
      const ok = check(req.headers as Headers, body)
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? OK : '')
    })
  }
  const hooks = createHooks()
  return createServer(async (req, res) => {
    const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
    res.writeHead(result.status, result.headers).end(result.body)
  })
}

async function expressServer(mode: Mode): Promise<Server> {
  const { default: express } = await import('express')
  const app = express()
  if (mode !== 'hookguard') {
    app.post(PATH, express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
      if (check(req.headers as Headers, req.body as Buffer)) res.type('application/json').send(OK)
      else res.status(401).end()
    })
  } else {
    const mod = await adapter('@hookguard/express')
    app.post(PATH, pick(mod, '@hookguard/express', ['webhookHandler'])(createHooks()))
  }
  return createServer(app)
}

async function fastifyServer(mode: Mode): Promise<Server> {
  const { default: Fastify } = await import('fastify')
  const app = Fastify({ logger: false })
  if (mode !== 'hookguard') {
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
    app.post(PATH, async (req, reply) => {
      if (check(req.headers as Headers, req.body as Buffer)) return reply.type('application/json').send(OK)
      return reply.code(401).send()
    })
  } else {
    const mod = await adapter('@hookguard/fastify')
    const plugin = pick(mod, '@hookguard/fastify', ['hookguard'])
    await app.register(plugin as any, { hooks: createHooks(), path: PATH })
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  return app.server
}

async function koaServer(mode: Mode): Promise<Server> {
  const { default: Koa } = await import('koa')
  const app = new Koa()
  if (mode !== 'hookguard') {
    app.use(async (ctx) => {
      if (ctx.method !== 'POST' || ctx.path !== PATH) return
      const body = await readAll(ctx.req)
      if (check(ctx.headers as Headers, body)) {
        ctx.type = 'application/json'
        ctx.body = OK
      } else ctx.status = 401
    })
  } else {
    const mod = await adapter('@hookguard/koa')
    const handler = pick(mod, '@hookguard/koa', ['webhookHandler', 'webhookMiddleware'])(createHooks())
    app.use(async (ctx, next) => (ctx.method === 'POST' && ctx.path === PATH ? handler(ctx, next) : next()))
  }
  return createServer(app.callback())
}

const builders: Record<Framework, (mode: Mode) => Promise<Server>> = {
  node: nodeServer,
  express: expressServer,
  fastify: fastifyServer,
  koa: koaServer,
}

const framework = process.argv[2] as Framework
try {
  const server = await builders[framework](mode)
  await new Promise<void>((resolve) => {
    if (server.listening) resolve()
    else server.listen(0, '127.0.0.1', resolve)
  })
  process.send?.({ port: (server.address() as AddressInfo).port })
  process.on('disconnect', () => process.exit(0))
} catch (error) {
  process.send?.({ error: (error as Error).message })
  process.disconnect?.()
}
