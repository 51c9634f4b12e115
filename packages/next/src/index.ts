export type { RouteHandler, WebhookRouteHandler } from './app-router'
export { webhookRoute, withWebhook } from './app-router'
export type { ApiRequest, ApiRouteHandler } from './pages-router'
export { BODY_PARSER_CONFIG, webhookApiRoute } from './pages-router'
