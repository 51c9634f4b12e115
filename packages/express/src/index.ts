export { keepRawBody, toWebhookRequest } from './raw-body'
export type { Register, RequestWebhook } from './register'
export { verifyWebhook } from './verify-webhook'
export { sendResult, webhookHandler } from './webhook-handler'
