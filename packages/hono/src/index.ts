export type { WebhookVariables } from './middleware'
export { verifyWebhook, webhookHandler } from './middleware'
