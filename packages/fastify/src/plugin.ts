import type { WebhookHandler } from '@hookguard/core'
import type { FastifyPluginAsync, RouteHandlerMethod } from 'fastify'
import { sendResult, toWebhookRequest } from './request'
import { verifyWebhook } from './verify-webhook'

/** Options for the {@link hookguard} plugin. */
export interface HookguardPluginOptions {
  /** The handler from `createWebhookHandler()`. */
  hooks: WebhookHandler<any>
  /** The route, under the register `prefix`. @default '/' */
  path?: string
  /**
   * Middleware style: your route handler, run after verification with `request.webhook` set. Without
   * it, the route is the whole pipeline and answers from `hooks.on()` handlers (endpoint style).
   */
  handler?: RouteHandlerMethod
}

/**
 * Serves webhooks at `path`. Deliberately NOT wrapped in fastify-plugin: the raw-body parser it adds
 * stays inside this plugin's encapsulation context, so the app's other routes keep Fastify's JSON
 * parsing. All methods reach core, so a stray GET is answered 405.
 * @example app.register(hookguard, { hooks, path: '/webhooks' })
 */
export const hookguard: FastifyPluginAsync<HookguardPluginOptions> = async (scope, { hooks, path = '/', handler }) => {
  scope.removeAllContentTypeParsers()
  // Hand core the untouched payload stream: it reads exactly the bytes, enforces maxBodyBytes while
  // streaming (413 in core's shape, not Fastify's bodyLimit error) and notices an aborted upload.
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
  scope.decorateRequest('webhook', null as never)
  if (handler) {
    scope.all(path, { preHandler: verifyWebhook(hooks) }, handler)
  } else {
    scope.all(path, async (request, reply) => sendResult(reply, await hooks.handle(toWebhookRequest(request))))
  }
}
