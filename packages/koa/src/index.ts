export type { Register, StateWebhook } from './register'
export { sendResult, toWebhookRequest } from './request'
export { verifyWebhook } from './verify-webhook'
export { webhookHandler } from './webhook-handler'
