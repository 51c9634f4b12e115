export type { BodySource, HintedBodySource, NodeReadableLike, RawBody, ReadBodyOptions } from './body'
export { readBody, toBytes, withRawBodyHint } from './body'
export type { ContentPart, HashAlgorithm, WebhookCrypto } from './crypto/types'
export type { WebhookDelivery } from './delivery'
export type { WebhookErrorCode, WebhookErrorOptions } from './errors'
export { statusForCode, WEBHOOK_ERROR_STATUS, WebhookError } from './errors'
export { parsePayload } from './events/parse'
export type { StandardSchemaV1 } from './events/schema'
export type {
  AnyEvent,
  EventFor,
  EventHandler,
  EventMap,
  EventPattern,
  MatchedTypes,
  SchemaMap,
  WebhookEvent,
  WildcardsOf,
} from './events/types'
export type {
  DispatchResult,
  SettleOutcome,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookReceipt,
  WebhookRecord,
  WebhookRequest,
  WebhookResult,
} from './handler'
export { createWebhookHandler, errorResult } from './handler'
export type { HeaderGetter, HeadersInput } from './headers'
export { headerGetter } from './headers'
export type { WebhookObserver, WebhookObserverEvent } from './observer'
export type { Register, RegisteredEvent, RegisteredEvents } from './register'
export type { MemoryStoreOptions } from './replay/memory-store'
export { memoryStore } from './replay/memory-store'
export type { ClaimResult, ReplayStore, ReplayStoreEvent } from './replay/store'
export type { GithubSchemeOptions } from './schemes/github'
export { github } from './schemes/github'
export type { HmacSchemeOptions } from './schemes/hmac'
export { hmac } from './schemes/hmac'
export type { SchemeName } from './schemes/index'
export { resolveScheme, SCHEME_NAMES } from './schemes/index'
export type { ShopifySchemeOptions } from './schemes/shopify'
export { shopify } from './schemes/shopify'
export type { SlackSchemeOptions } from './schemes/slack'
export { slack } from './schemes/slack'
export type { StandardWebhooksSchemeOptions } from './schemes/standard-webhooks'
export { standardWebhooks } from './schemes/standard-webhooks'
export type { StripeSchemeOptions } from './schemes/stripe'
export { stripe } from './schemes/stripe'
export type { TokenSchemeOptions } from './schemes/token'
export { token } from './schemes/token'
export type { SecretKey, SignatureOutput, SignedParts, WebhookScheme } from './schemes/types'
export type { NodeResponseLike } from './settle'
export { settleOnFinish } from './settle'
export type { SignOptions } from './sign'
export { sign } from './sign'
export type { VerifyInput, WebhookVerifier, WebhookVerifierOptions } from './verifier'
export { createWebhookVerifier } from './verifier'
